package dev.portico.function.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SDKs' own unit tests (node:test, unittest) run with {@code mvn verify}, so the README's one
 * test command covers them.
 */
class SdkUnitTestsTest {
  private static final Pattern NODE_PASSED = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE);
  private static final Pattern PYTHON_RAN =
      Pattern.compile("^Ran (\\d+) tests?", Pattern.MULTILINE);

  @ParameterizedTest
  @EnumSource(SdkLanguage.class)
  void theSdksOwnUnitTestsShouldPass(SdkLanguage language) {
    SdkLanguage.Result result = SdkLanguage.run(language.directory(), language.unitTests(), 300);
    assertEquals(0, result.status(), result.output());
    Matcher ran =
        (language == SdkLanguage.NODE ? NODE_PASSED : PYTHON_RAN).matcher(result.output());
    assertTrue(ran.find() && Integer.parseInt(ran.group(1)) > 0, "tests ran:\n" + result.output());
  }
}
