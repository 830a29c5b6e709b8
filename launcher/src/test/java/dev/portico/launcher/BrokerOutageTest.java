package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.kafka.embedded.BrokerSettings;
import dev.portico.kafka.embedded.ChildProcessKafkaBroker;
import dev.portico.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the broker gone the edge answers 503 within the integration timeout (no hung request), and
 * serves again by itself once the broker is back. Uses its own broker, since it stops it.
 */
@Timeout(300)
@Tag("integration")
class BrokerOutageTest {
  static final long TIMEOUT_MS = 2_000;

  @Test
  void shouldAnswer503WithinTheTimeoutAndRecoverWhenTheBrokerReturns(
      @TempDir Path kafkaDir, @TempDir Path stateDir) throws Exception {
    BrokerSettings settings =
        new BrokerSettings("127.0.0.1", FreePorts.next(), FreePorts.next(), kafkaDir, Map.of());
    ChildProcessKafkaBroker broker = ChildProcessKafkaBroker.start(settings, "256m");
    try (Suite suite =
        new Suite(broker.bootstrapServers(), "outage.", stateDir, TIMEOUT_MS).start()) {
      String item = "{\"customer_id\":\"outage-1\",\"price\":1}";
      assertEquals(201, Http.postJson(suite.url("/prod/customer"), item).statusCode());

      broker.close();
      long start = System.nanoTime();
      HttpResponse<String> during = Http.get(suite.url("/prod/customer/outage-1"));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(503, during.statusCode(), during.body());
      assertEquals(
          "KafkaUnavailable", during.headers().firstValue("x-portico-error-type").orElseThrow());
      assertTrue(waitedMs < TIMEOUT_MS + 1_000, "answered after " + waitedMs + " ms");

      broker = ChildProcessKafkaBroker.start(settings, "256m");
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Http.get(suite.url("/prod/customer/outage-1")).statusCode() == 200);
    } finally {
      broker.close();
    }
  }
}
