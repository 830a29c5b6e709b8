package dev.portico.metrics;

import dev.portico.contracts.RequestEvent;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test (surefire runs only *Test): a rough ingest-rate measurement, run by hand with {@code
 * mvn -o -q -pl metrics-service test -Dtest=IngestRateBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbench.events=200000}. Writes the events first, then starts the service and times how long it
 * takes to aggregate (and commit) all of them; prints events/s.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
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
            .with("PORTICO_TOPIC_PARTITIONS", System.getProperty("bench.partitions", "4"));
    // RunningMetrics sets a 50 ms test commit interval: the service's default unless the run names
    // its own (-Dbench.commit=100 is the default before the ingest work of docs/metrics.md).
    metrics.env.remove("PORTICO_METRICS_COMMIT_INTERVAL_MS");
    if (System.getProperty("bench.commit") != null) {
      metrics.with("PORTICO_METRICS_COMMIT_INTERVAL_MS", System.getProperty("bench.commit"));
    }
    if (System.getProperty("bench.threads") != null) {
      metrics.with("PORTICO_METRICS_STREAM_THREADS", System.getProperty("bench.threads"));
    }
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
    // Aggregated (processed) is what the stream thread achieves; committed adds the wait for the
    // next commit after the last event (up to the commit interval).
    // Scraped every 250 ms only: a scrape formats every Kafka metric, on the same two cores.
    org.awaitility.Awaitility.await()
        .atMost(5, java.util.concurrent.TimeUnit.MINUTES)
        .pollInterval(java.time.Duration.ofMillis(250))
        .until(
            () ->
                metrics.counter("portico_metrics_events_ingested_total", "source=\"gateway\"")
                    >= events);
    double processedSeconds = (System.nanoTime() - start) / 1e9;
    metrics.awaitCaughtUp("gateway.requests");
    double seconds = (System.nanoTime() - start) / 1e9;
    double streamCpuSeconds = streamThreadCpuSeconds();
    System.out.printf(
        "INGEST events=%d produced in %.1f s; service ready in %.1f s; all aggregated %.1f s and"
            + " committed in %.1f s after start: %.0f events/s (%.0f events/s after ready;"
            + " aggregated: %.0f events/s after ready); stream thread CPU %.2f s = %.0f events"
            + " per CPU-second; load average %.1f%n",
        events,
        produceSeconds,
        startSeconds,
        processedSeconds,
        seconds,
        events / seconds,
        events / (seconds - startSeconds),
        events / (processedSeconds - startSeconds),
        streamCpuSeconds,
        events / streamCpuSeconds,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    // Where the stream thread's time went (Kafka Streams' thread metrics, as /metrics shows them).
    for (String line : metrics.get("/metrics").body().split("\n")) {
      if (line.startsWith("kafka_stream_thread_")
          && line.matches(
              "kafka_stream_thread_(poll|process|commit|punctuate)_(ratio|latency_avg|records_avg)"
                  + "\\{.*")) {
        System.out.println("THREAD " + line.replaceAll("\\{.*thread_id=\"([^\"]*)\".*\\}", " $1"));
      }
    }
    metrics.close();
  }

  /** CPU time of the running service's stream threads: its cost, whatever the load. */
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
