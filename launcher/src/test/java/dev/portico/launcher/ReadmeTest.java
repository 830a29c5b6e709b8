package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's Anatomy and configuration tables stay true to the code. */
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
