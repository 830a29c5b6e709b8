package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.RefusingPort;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reachability is checked when asked (at most once per max age), not on a fast timer. */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class KafkaReachabilityTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  static KafkaSettings settings(String bootstrap) {
    return KafkaSettings.read(new ConfigReader(Map.of("PORTICO_KAFKA_BOOTSTRAP", bootstrap)));
  }

  @Test
  void shouldAskKafkaOnlyWhenAskedAndTheAnswerIsOlderThanItsMaxAge(TestKafka kafka) {
    try (KafkaReachability fresh =
            new KafkaReachability(vertx, settings(kafka.bootstrapServers()), "t-fresh", 60_000);
        KafkaReachability eager =
            new KafkaReachability(vertx, settings(kafka.bootstrapServers()), "t-eager", 0)) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(fresh::isReachable);
      for (int i = 0; i < 100; i++) {
        fresh.isReachable();
      }
      assertEquals(1, fresh.checks(), "the first answer is a minute fresh: nothing more sent");

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(eager::isReachable);
      long before = eager.checks();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> eager.isReachable() && eager.checks() >= before + 2);
    }
  }

  @Test
  void shouldReportAnUnreachableClusterAsUnreachable() throws Exception {
    try (RefusingPort refusing = new RefusingPort();
        KafkaReachability reachability =
            new KafkaReachability(
                vertx, settings("127.0.0.1:" + refusing.port()), "t-refused", 0)) {
      Awaitility.await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(20))
          .until(() -> !reachability.isReachable());
      assertFalse(reachability.isReachable());
    }
  }
}
