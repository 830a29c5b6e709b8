package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two edge replicas on one broker share the configuration through the config topic. */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class ReplicasTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: shared}
      paths:
        /hello:
          get:
            x-portico-integration: {type: mock, body: "%s"}
      """;

  @Test
  void shouldServeADeploymentMadeThroughOneReplicaFromBothWithinOneSecond(TestKafka kafka) {
    String prefix = kafka.freshPrefix();
    try (Edge a = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "0").start();
        Edge b = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "1").start()) {
      Admin admin = new Admin(a);
      for (String version : new String[] {"one", "two", "three"}) {
        admin.importApi("shared", API.formatted(version));
        long deployed = System.nanoTime();
        admin.deploy("shared", "live");
        assertEquals(version, a.get("/live/hello").body(), "the replica that took the change");
        long seen = 0;
        while (!version.equals(b.get("/live/hello").body())) {
          seen = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deployed);
          assertTrue(
              seen < 1_000, "replica b still serves the old deployment after " + seen + " ms");
        }
      }

      // A replica that starts later reads the topic to its end before it says it is ready.
      try (Edge c = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "2").start()) {
        assertEquals("three", c.get("/live/hello").body());
      }
    }
  }
}
