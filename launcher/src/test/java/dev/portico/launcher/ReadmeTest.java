package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's commands, Anatomy and configuration tables stay true to the code. */
class ReadmeTest {
  static String readme() throws Exception {
    return Files.readString(ComposeFileTest.ROOT.resolve("README.md"));
  }

  @Test
  void shouldListEveryRegistryTopic() throws Exception {
    String readme = readme();
    for (Topic<?> topic : Topics.all()) {
      String row = "| `" + topic.name(Topics.DEFAULT_PREFIX) + "` |";
      assertTrue(readme.contains(row), "README Anatomy lacks " + row);
    }
  }

  /**
   * A newcomer's test command is CI's: {@code .ci/run} adds only what is CI's own, and the command
   * itself installs what the tests need (it used to be in {@code .ci/run} alone).
   */
  @Test
  void theReadmesTestCommandShouldBeWhatCiRunsAndInstallWhatTheTestsNeed() throws Exception {
    Matcher block =
        Pattern.compile("## Test it\\n\\n(?:<!--[^\\n]*-->\\n)?```sh\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(readme());
    assertTrue(block.find(), "README has a Test it section with a sh block");
    String command = block.group(1);
    assertEquals("./test.sh", command);
    String ci = Files.readString(ComposeFileTest.ROOT.resolve(".ci/run"));
    assertTrue(ci.lines().anyMatch(line -> line.equals("exec " + command + " -Pci")), ci);
    String script = Files.readString(ComposeFileTest.ROOT.resolve("test.sh"));
    for (String need : List.of("chromium ", "chromedriver ")) {
      assertTrue(script.contains("\n" + need), "test.sh installs " + need);
    }
    assertTrue(script.strip().endsWith("exec ./mvnw -B verify \"$@\""), script);
    Process syntax =
        new ProcessBuilder("bash", "-n", "test.sh")
            .directory(ComposeFileTest.ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String errors = new String(syntax.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(syntax.waitFor(30, TimeUnit.SECONDS), "bash -n test.sh finished");
    assertEquals(0, syntax.exitValue(), "test.sh is valid bash: " + errors);
  }

  @Test
  void shouldDocumentEveryConfigurationVariable() throws Exception {
    String readme = readme();
    Set<String> names =
        PorticoLauncher.readServiceConfigs(new dev.portico.runtime.ConfigReader(Map.of()));
    for (String name : names) {
      assertTrue(readme.contains("| `" + name + "` |"), "README configuration lacks " + name);
    }
  }
}
