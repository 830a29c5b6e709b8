package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.edge.EdgeConfig;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start-up documents are imported idempotently and never undo an admin's choice. */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class StartupApisTest {
  static String doc(String body) {
    return """
        openapi: 3.0.3
        info: {title: boot}
        paths:
          /v:
            get:
              x-portico-integration: {type: mock, body: "%s"}
        """
        .formatted(body);
  }

  @Test
  void shouldDeployStartupFilesOnceAndFollowChangesOnlyWhereNoAdminInterfered(
      TestKafka kafka, @TempDir Path dir) throws Exception {
    String prefix = kafka.freshPrefix();
    Path file = dir.resolve("boot.yaml");
    Files.writeString(file, doc("v1"));
    Map<String, String> vars =
        Map.of("PORTICO_EDGE_API_FILE", file.toString(), "PORTICO_EDGE_STAGES", "b-dev,b-prod");

    String first;
    try (Edge edge = start(kafka, prefix, vars)) {
      assertEquals("v1", edge.get("/b-dev/v").body());
      assertEquals("v1", edge.get("/b-prod/v").body());
      first = stage(edge, "b-prod").get("deploymentId").asText();
    }
    try (Edge again = start(kafka, prefix, vars)) {
      JsonNode history = Admin.ok(200, again.admin("GET", "/apis/boot/deployments", null));
      assertEquals(1, history.size(), "a restart with the same file deploys nothing new");
      // An admin points b-prod at its own deployment of the same document.
      String mine = new Admin(again).deploy("boot", "b-prod");
      assertTrue(!mine.equals(first));
    }
    Files.writeString(file, doc("v2"));
    try (Edge changed = start(kafka, prefix, vars)) {
      assertEquals("v2", changed.get("/b-dev/v").body(), "b-dev still ran the start-up document");
      assertEquals("v1", changed.get("/b-prod/v").body(), "b-prod was re-pointed by an admin");
    }
  }

  @Test
  void shouldKeepTheAdminApiOffOnLoopbackDefaultsWithoutAToken(TestKafka kafka) {
    EdgeConfig defaults = EdgeConfig.read(new ConfigReader(Map.of()));
    assertEquals("127.0.0.1", defaults.admin().host());
    assertEquals(8081, defaults.admin().port());
    try (Edge edge =
        new Edge(kafka, kafka.freshPrefix()).with("PORTICO_EDGE_ADMIN_TOKEN", "").start()) {
      assertEquals(-1, edge.service.adminPort());
      assertTrue(edge.service.urls().stream().noneMatch(u -> u.contains("admin")));
    }
  }

  static Edge start(TestKafka kafka, String prefix, Map<String, String> vars) {
    Edge edge = new Edge(kafka, prefix);
    vars.forEach(edge::with);
    return edge.start();
  }

  static JsonNode stage(Edge edge, String name) {
    return Admin.ok(200, edge.admin("GET", "/stages/" + name, null));
  }
}
