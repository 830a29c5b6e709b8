package dev.portico.launcher;

import dev.portico.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Two replicas of each of the five services, each its own JVM started from the test's class path
 * with the service's {@code main} (the code of its packaged jar), on free ports and its own state
 * directory, as an operator runs them on a cluster: every replica gets the same Kafka variables.
 * Logs go to {@code dir/<service>-<replica>.log}.
 */
final class ServiceReplicas implements AutoCloseable {
  /**
   * A running replica.
   *
   * @param port the port that serves its {@code /ready} (and its API, but for the edge)
   * @param dataPort the edge's data plane, 0 for other services
   */
  record Replica(String name, Process process, Path log, int port, int dataPort) {
    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }
  }

  private final Map<String, String> common;
  private final Path dir;
  private final List<Replica> replicas = new ArrayList<>();

  /**
   * @param common the variables every replica gets: Kafka, topic prefix and replication, SMTP
   */
  ServiceReplicas(Map<String, String> common, Path dir) {
    this.common = Map.copyOf(common);
    this.dir = dir;
  }

  /** Starts both replicas of every service and waits until each is ready. */
  ServiceReplicas startAll() throws Exception {
    for (int r = 0; r < 2; r++) {
      int data = FreePorts.next();
      int ops = FreePorts.next();
      start(
          "edge-service-" + r,
          "dev.portico.edge.EdgeMain",
          ops,
          data,
          Map.of(
              "PORTICO_EDGE_PORT", Integer.toString(data),
              "PORTICO_EDGE_OPS_PORT", Integer.toString(ops),
              "PORTICO_EDGE_ADMIN_PORT", Integer.toString(FreePorts.next()),
              "PORTICO_EDGE_INSTANCE", Integer.toString(r),
              "PORTICO_ACCESS_LOG_LEVEL", "OFF",
              // a stalled write answers 504 after 5 s and the client retries it
              "PORTICO_EDGE_INTEGRATION_TIMEOUT_MS", "5000"));
      int customer = FreePorts.next();
      start(
          "customer-service-" + r,
          "dev.portico.customer.CustomerMain",
          customer,
          0,
          Map.of(
              "PORTICO_CUSTOMER_OPS_PORT", Integer.toString(customer),
              "PORTICO_CUSTOMER_STATE_DIR", dir.resolve("customer-" + r).toString(),
              // the shortest allowed: a killed replica's partitions move after 6 s
              "PORTICO_CUSTOMER_SESSION_TIMEOUT_MS", "6000"));
      int stream = FreePorts.next();
      start(
          "stream-service-" + r,
          "dev.portico.stream.StreamMain",
          stream,
          0,
          Map.of(
              "PORTICO_STREAM_PORT",
              Integer.toString(stream),
              "PORTICO_STREAM_ITERATOR_SECRET",
              "cluster-fault-test-secret"));
      int metrics = FreePorts.next();
      start(
          "metrics-service-" + r,
          "dev.portico.metrics.MetricsMain",
          metrics,
          0,
          Map.of(
              "PORTICO_METRICS_PORT", Integer.toString(metrics),
              "PORTICO_METRICS_STATE_DIR", dir.resolve("metrics-" + r).toString()));
      int alarm = FreePorts.next();
      start(
          "alarm-service-" + r,
          "dev.portico.alarm.AlarmMain",
          alarm,
          0,
          Map.of(
              "PORTICO_ALARM_PORT", Integer.toString(alarm),
              "PORTICO_ALARM_STATE_DIR", dir.resolve("alarm-" + r).toString(),
              "PORTICO_ALARM_PUBLIC_URL", "http://127.0.0.1:" + alarm));
    }
    for (Replica replica : replicas) {
      awaitReady(replica);
    }
    return this;
  }

  private void start(
      String name, String mainClass, int readyPort, int dataPort, Map<String, String> own)
      throws Exception {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(variable -> variable.startsWith("PORTICO_"));
    env.putAll(common);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_LOG_LEVEL", "WARN");
    env.putAll(own);
    replicas.add(new Replica(name, builder.start(), log, readyPort, dataPort));
  }

  private static void awaitReady(Replica replica) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast(
            replica.name() + " exited; see " + replica.log(), () -> !replica.process().isAlive())
        .until(() -> Http.get(replica.url("/ready")).statusCode() == 200);
  }

  /** The data-plane base URLs of the edge replicas, as a load balancer would know them. */
  List<String> edgeUrls() {
    return replicas.stream()
        .filter(r -> r.dataPort() != 0)
        .map(r -> "http://127.0.0.1:" + r.dataPort())
        .toList();
  }

  /** The replica called {@code name}, e.g. {@code customer-service-0}. */
  Replica replica(String name) {
    return replicas.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name));
  }

  /** Ends a replica as a crash would: SIGKILL, no leave, no commit, an open transaction. */
  void kill(String name) throws InterruptedException {
    Process process = replica(name).process();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops every replica still running: SIGTERM to all, then waits; SIGKILL after 30 s. */
  @Override
  public void close() {
    replicas.forEach(r -> r.process().destroy());
    for (Replica replica : replicas) {
      try {
        if (!replica.process().waitFor(30, TimeUnit.SECONDS)) {
          replica.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        replica.process().destroyForcibly();
      }
    }
  }
}
