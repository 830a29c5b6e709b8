package dev.portico.launcher;

import dev.portico.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Two replicas of each of the five services, each its own JVM started from the test's class path
 * with the service's {@code main} (the code of its packaged jar), on free ports and its own state
 * directory, as an operator runs them on a cluster: every replica gets the same Kafka variables.
 * Logs go to {@code dir/<service>-<replica>.log} (appended to across restarts).
 *
 * <p>Like an orchestrator ({@code restart: on-failure}, a Kubernetes liveness probe), a replica
 * that exits by itself (its essential loop stopped) is started again on the same state; each such
 * restart is recorded. A replica the test kills stays down.
 */
final class ServiceReplicas implements AutoCloseable {
  /**
   * A replica.
   *
   * @param port the port that serves its {@code /ready} (and its API, but for the edge)
   * @param dataPort the edge's data plane, 0 for other services
   */
  static final class Replica {
    final String name;
    final Path log;
    final int port;
    final int dataPort;
    private final ProcessBuilder builder;
    private volatile Process process;
    private volatile boolean killed;

    Replica(String name, ProcessBuilder builder, Path log, int port, int dataPort)
        throws IOException {
      this.name = name;
      this.builder = builder;
      this.log = log;
      this.port = port;
      this.dataPort = dataPort;
      this.process = builder.start();
    }

    String name() {
      return name;
    }

    Process process() {
      return process;
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }
  }

  /** A replica that exited by itself and was started again. */
  record Restart(String replica, int exitCode, Instant at) {}

  private final Map<String, String> common;
  private final Path dir;
  private final List<Replica> replicas = new CopyOnWriteArrayList<>();
  private final List<Restart> restarts = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService supervisor =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "replica-supervisor");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closing;

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
              "PORTICO_EDGE_DYNAMODB_PORT", Integer.toString(FreePorts.next()),
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
    supervisor.scheduleWithFixedDelay(this::restartExited, 500, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  private void restartExited() {
    for (Replica replica : replicas) {
      Process process = replica.process;
      if (closing || replica.killed || process.isAlive()) {
        continue;
      }
      restarts.add(new Restart(replica.name, process.exitValue(), Instant.now()));
      try {
        replica.process = replica.builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException(replica.name + " could not be started again", e);
      }
    }
  }

  /** The replicas that exited by themselves and were started again, in order. */
  List<Restart> restarts() {
    return List.copyOf(restarts);
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
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(variable -> variable.startsWith("PORTICO_"));
    env.putAll(common);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_LOG_LEVEL", "INFO"); // enough to tell a failure's cause afterwards
    env.putAll(own);
    replicas.add(new Replica(name, builder, log, readyPort, dataPort));
  }

  private static void awaitReady(Replica replica) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast(replica.name + " exited; see " + replica.log, () -> !replica.process().isAlive())
        .until(() -> Http.get(replica.url("/ready")).statusCode() == 200);
  }

  /** The data-plane base URLs of the edge replicas, as a load balancer would know them. */
  List<String> edgeUrls() {
    return replicas.stream()
        .filter(r -> r.dataPort != 0)
        .map(r -> "http://127.0.0.1:" + r.dataPort)
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
    Replica replica = replica(name);
    replica.killed = true;
    Process process = replica.process();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops every replica still running: SIGTERM to all, then waits; SIGKILL after 30 s. */
  @Override
  public void close() {
    closing = true;
    supervisor.shutdownNow();
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
