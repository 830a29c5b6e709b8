package dev.portico.metrics;

import dev.portico.contracts.RequestEvent;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test (surefire runs only *Test): a rough ingest-rate measurement, run by hand with {@code
 * mvn -o -q -pl metrics-service test -Dtest=IngestRateBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbench.events=200000}. Writes the events first, then starts the service and times how long it
 * takes to aggregate (and commit) all of them; prints events/s.
 */
@ExtendWith(KafkaExtension.class)
class IngestRateBench {
  @Test
  void measure(TestKafka kafka) throws Exception {
    int events = Integer.getInteger("bench.events", 200_000);
    Instant t0 = Instant.now();
    MutableClock clock = new MutableClock(t0);
    List<String> resources = List.of("/items", "/items/{id}", "/orders", "/orders/{id}", "/users");
    var metrics =
        new RunningMetrics(
                kafka.bootstrapServers(),
                kafka.freshPrefix(),
                Files.createTempDirectory("bench"),
                clock)
            .with("PORTICO_METRICS_COMMIT_INTERVAL_MS", System.getProperty("bench.commit", "100"))
            .with("PORTICO_TOPIC_PARTITIONS", "4");
    // The service creates the topics; start it once to do so, then stop it and fill the topic.
    metrics.start();
    metrics.stop();
    List<RequestEvent> sample = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sample.add(
          Events.request(
              t0.toEpochMilli() + i,
              "api" + (i % 8),
              i % 2 == 0 ? "prod" : "dev",
              i % 3 == 0 ? "POST" : "GET",
              resources.get(i % resources.size()),
              i % 50 == 0 ? 500 : 200,
              1 + (i % 97)));
    }
    long produceStart = System.nanoTime();
    for (int i = 0; i < events; i++) {
      metrics.sendGateway(sample.get(i % sample.size()));
    }
    metrics.flush();
    double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

    long start = System.nanoTime();
    metrics.start();
    double startSeconds = (System.nanoTime() - start) / 1e9;
    metrics.awaitCaughtUp("gateway.requests");
    double seconds = (System.nanoTime() - start) / 1e9;
    double streamCpuSeconds = streamThreadCpuSeconds();
    System.out.printf(
        "INGEST events=%d produced in %.1f s; service ready in %.1f s; all aggregated and"
            + " committed in %.1f s after start: %.0f events/s (%.0f events/s after ready);"
            + " stream thread CPU %.2f s = %.0f events per CPU-second; load average %.1f%n",
        events,
        produceSeconds,
        startSeconds,
        seconds,
        events / seconds,
        events / (seconds - startSeconds),
        streamCpuSeconds,
        events / streamCpuSeconds,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    metrics.close();
  }

  /** CPU time of the (one) stream thread of the running service: its cost, whatever the load. */
  private static double streamThreadCpuSeconds() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().contains("portico-metrics-service")
          && thread.getName().contains("StreamThread")) {
        total += threads.getThreadCpuTime(thread.getId()) / 1e9;
      }
    }
    return total;
  }
}
