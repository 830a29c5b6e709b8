package dev.portico.alarm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.alarms.ChildState;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {
  static final Map<String, String> STATES =
      Map.of("a", "ALARM", "b", "OK", "c", "INSUFFICIENT_DATA", "with space (x)", "ALARM");

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ALARM(a) | true",
        "OK(a) | false",
        "ALARM(a) AND OK(b) | true",
        "ALARM(a) AND NOT OK(b) | false",
        "NOT ALARM(a) OR OK(b) | true",
        "ALARM(b) OR ALARM(a) AND OK(b) | true",
        "(ALARM(b) OR ALARM(a)) AND ALARM(b) | false",
        "NOT NOT ALARM(a) | true",
        "INSUFFICIENT_DATA(c) and alarm(a) | true",
        "TRUE | true",
        "FALSE OR FALSE | false",
        "ALARM(\"with space (x)\") | true",
        "ALARM(unknown) | false",
        "OK(unknown) OR INSUFFICIENT_DATA(unknown) | false",
      })
  void shouldEvaluateWithNotBeforeAndBeforeOr(String rule, boolean expected) throws Exception {
    assertEquals(expected, RuleParser.parse(rule).matches(STATES));
  }

  @Test
  void shouldCollectTheNamedAlarms() throws Exception {
    Set<String> names = new TreeSet<>();
    RuleParser.parse("ALARM(a) AND (OK(b) OR NOT ALARM(\"c d\")) OR TRUE").collectNames(names);
    assertEquals(Set.of("a", "b", "c d"), names);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ALARM(a) AND | the rule ends where a condition is expected",
        "ALARM(a | missing ')'",
        "ALARM() | an alarm name must be 1-255 characters",
        "(ALARM(a) | expected ')'",
        "ALARMS(a) | expected ALARM(...)",
        "ALARM(a) OK(b) | unexpected 'O' at position 10",
        "ALARM(\"a) | unterminated quoted alarm name",
      })
  void shouldNameTheProblemAndItsPosition(String rule, String expected) {
    RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse(rule));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("position"), e.getMessage());
  }

  @Test
  void compositeShouldBeInsufficientUntilAChildLeavesInsufficientData() throws Exception {
    Rule rule = RuleParser.parse("ALARM(a) OR ALARM(b)");
    Map<String, ChildState> initial =
        Map.of(
            "a",
            new ChildState("INSUFFICIENT_DATA", 1),
            "b",
            new ChildState("INSUFFICIENT_DATA", 1));
    assertEquals("INSUFFICIENT_DATA", CompositeEvaluator.evaluate(rule, initial, null, 5).value());
    Map<String, ChildState> oneOk =
        Map.of("a", new ChildState("OK", 2), "b", new ChildState("INSUFFICIENT_DATA", 1));
    assertEquals("OK", CompositeEvaluator.evaluate(rule, oneOk, "a", 5).value());
    Map<String, ChildState> alarm =
        Map.of("a", new ChildState("OK", 2), "b", new ChildState("ALARM", 1_693_000_000_000L));
    Verdict v = CompositeEvaluator.evaluate(rule, alarm, "b", 5);
    assertEquals("ALARM", v.value());
    assertTrue(v.reason().startsWith("b transitioned to ALARM at "), v.reason());
    assertFalse(v.reasonData().isEmpty());
  }
}
