package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portico.runtime.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml stays true to the code: every Portico service builds its own module from a
 * Dockerfile, and every PORTICO_* variable it sets is one some config record reads.
 */
class ComposeFileTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyServiceShouldMapToAModuleAndSetOnlyVariablesTheConfigRecordsRead() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    Set<String> known = PorticoLauncher.readServiceConfigs(new ConfigReader(Map.of()));
    Set<String> modules = new TreeSet<>();
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
      JsonNode build = service.getValue().get("build");
      if (build == null) {
        continue; // third-party images (kafka)
      }
      String name = service.getKey();
      modules.add(name);
      assertTrue(Files.isDirectory(ROOT.resolve(name).resolve("src")), name + " is a module");
      String dockerfile = build.get("dockerfile").asText();
      assertTrue(Files.exists(ROOT.resolve(dockerfile)), dockerfile);
      assertEquals(name, build.path("args").path("MODULE").asText(), name + " builds its module");
      JsonNode environment = service.getValue().path("environment");
      environment
          .fieldNames()
          .forEachRemaining(
              variable -> {
                if (variable.startsWith("PORTICO_") && !known.contains(variable)) {
                  unknown.add(name + ": " + variable);
                }
              });
    }
    assertEquals(
        Set.of(
            "edge-service",
            "customer-service",
            "stream-service",
            "metrics-service",
            "alarm-service"),
        modules);
    assertTrue(unknown.isEmpty(), "variables no config record reads: " + unknown);
  }
}
