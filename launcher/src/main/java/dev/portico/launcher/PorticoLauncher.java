package dev.portico.launcher;

import dev.portico.alarm.AlarmConfig;
import dev.portico.alarm.AlarmService;
import dev.portico.contracts.Topics;
import dev.portico.customer.CustomerConfig;
import dev.portico.customer.CustomerService;
import dev.portico.edge.EdgeConfig;
import dev.portico.edge.EdgeService;
import dev.portico.kafka.embedded.BrokerStartException;
import dev.portico.kafka.embedded.ChildProcessKafkaBroker;
import dev.portico.kafka.embedded.KafkaBroker;
import dev.portico.kit.client.KafkaSettingException;
import dev.portico.metrics.MetricsConfig;
import dev.portico.metrics.MetricsService;
import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.FailureWatch;
import dev.portico.runtime.GracefulExit;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import dev.portico.runtime.Logging;
import dev.portico.runtime.PorticoService;
import dev.portico.runtime.PorticoVertx;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs all of Portico with one command: the embedded Kafka broker as a child process (a fatal
 * broker fault must not take the services down with it), the registry's topics, and the five
 * services in this JVM on one Vert.x instance. SIGTERM or Ctrl-C stops the services, then the
 * broker, and exits 0.
 */
public final class PorticoLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PorticoLauncher.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final List<PorticoService> services = new ArrayList<>();

  /** Created once the broker child is on its way: its start is the longer one. */
  private Vertx vertx;

  private KafkaBroker broker;
  private boolean closed;

  private PorticoLauncher() {}

  /**
   * Runs the suite in this process until SIGTERM or Ctrl-C, which stop it and exit 0; returns only
   * when start-up fails, with the exit status (2: a bad configuration value, 1: anything else), or
   * with 1 when a service can no longer work ({@link PorticoService#failure()}).
   */
  static int runUntilStopped(Map<String, String> environment) throws InterruptedException {
    long start = System.nanoTime();
    PorticoLauncher launcher = new PorticoLauncher();
    // Installed before anything starts, so Ctrl-C during start-up still stops the broker child.
    GracefulExit.install("portico", launcher::stop);
    try {
      launcher.run(environment);
    } catch (ConfigException | KafkaSettingException e) {
      LOG.error(e.getMessage());
      return 2;
    } catch (RuntimeException | Error e) {
      if (launcher.stopRequested()) { // SIGTERM or Ctrl-C during start-up: not a failure
        LOG.info("Stopped during start-up");
        return 0;
      }
      LOG.error("Portico could not start: {}", e.getMessage(), e);
      return 1;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    StringBuilder banner = new StringBuilder("\n  Portico is ready in " + millis + " ms\n");
    launcher.urls().forEach(url -> banner.append("    ").append(url).append('\n'));
    banner
        .append("  Try: curl -X POST ")
        .append("http://localhost:8080/prod/customer -H 'content-type: application/json' ")
        .append("-d '{\"customer_id\":\"1230AWS\",\"customer_name\":\"KilDong\",")
        .append("\"product_name\":\"laptop\",\"price\":990000}'\n  Ctrl-C stops everything.\n");
    System.out.println(banner);
    // The services run on their own threads until GracefulExit, or until one of them can no
    // longer work: then the whole suite exits 1 and its supervisor starts it again.
    String failure = FailureWatch.awaitFailure(launcher.services());
    LOG.error("{}; Portico exits with 1 so that its supervisor starts it again", failure);
    return 1;
  }

  /** Starts everything and returns once every service reports ready. */
  public static PorticoLauncher start(Map<String, String> environment) {
    PorticoLauncher launcher = new PorticoLauncher();
    try {
      launcher.run(environment);
      return launcher;
    } catch (RuntimeException | Error e) {
      launcher.close(); // never leave a broker child process or half the services behind
      throw e;
    }
  }

  private Path adminTokenFile;

  private void run(Map<String, String> environment) {
    ConfigReader launcherEnv = new ConfigReader(environment);
    Logging.apply(launcherEnv);
    LauncherConfig config = LauncherConfig.read(launcherEnv);
    Map<String, String> env = new HashMap<>(environment);
    env.putIfAbsent(
        "PORTICO_CUSTOMER_STATE_DIR", config.dataDir().resolve("customer-service").toString());
    env.putIfAbsent(
        "PORTICO_METRICS_STATE_DIR", config.dataDir().resolve("metrics-service").toString());
    env.putIfAbsent(
        "PORTICO_ALARM_STATE_DIR", config.dataDir().resolve("alarm-service").toString());
    // stream-service keeps no state; its static group membership needs an id that outlives a
    // crash all the same, kept where the other services keep theirs.
    if (env.getOrDefault("PORTICO_STREAM_INSTANCE_ID", "").isBlank()) {
      env.put(
          "PORTICO_STREAM_INSTANCE_ID",
          InstanceId.resolve("", config.dataDir().resolve("stream-service")));
    }
    if (env.getOrDefault("PORTICO_EDGE_ADMIN_TOKEN", "").isEmpty()) {
      env.put("PORTICO_EDGE_ADMIN_TOKEN", AdminTokenFile.readOrCreate(config.dataDir()));
      adminTokenFile = config.dataDir().resolve(AdminTokenFile.NAME);
    }
    readServiceConfigs(new ConfigReader(env)); // a bad value stops us before anything starts

    if (config.embeddedKafka()) {
      ClassPreloader.startInBackground();
      ChildProcessKafkaBroker launched =
          ChildProcessKafkaBroker.launch(config.broker(), config.brokerHeap());
      synchronized (this) {
        broker = launched; // from here a stop stops the child too, even while it boots
        if (closed) {
          launched.close();
          throw new IllegalStateException("stopped during start-up");
        }
      }
      createVertx(); // while the child boots
      awaitBroker(launched, config.brokerStartTimeout());
      env.put("PORTICO_KAFKA_BOOTSTRAP", launched.bootstrapServers());
      LOG.info(
          "Kafka broker ready on {} (data in {})",
          launched.bootstrapServers(),
          config.broker().dataDir());
      launched
          .offsetsTopicBounded()
          .whenComplete(
              (bounded, failure) -> {
                if (failure != null) {
                  LOG.warn(
                      "__consumer_offsets keeps Kafka's 24 h marker retention, so group"
                          + " coordinators load more after each restart: {}",
                      failure.getMessage());
                }
              });
    } else {
      createVertx();
    }
    ConfigReader reader = new ConfigReader(env);
    KafkaSettings kafka = KafkaSettings.read(reader);
    kafka.verifyAccess("portico-launcher");
    TopicProvisioner.ensure(kafka, Topics.all());
    try {
      // The write path first, until it serves: on 2 cores the other three services' construction
      // and start (Kafka Streams, state restore) would otherwise compete with its own start and
      // first writes.
      List<PorticoService> writePath =
          add(
              () -> new CustomerService(vertx, CustomerConfig.read(reader)),
              () -> new EdgeService(vertx, EdgeConfig.read(reader)));
      startAll(writePath).await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitReady(writePath);
      List<PorticoService> others =
          add(
              () -> new StreamService(vertx, StreamConfig.read(reader)),
              () -> new MetricsService(vertx, MetricsConfig.read(reader)),
              () -> new AlarmService(vertx, AlarmConfig.read(reader)));
      startAll(others).await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<PorticoService> all = new ArrayList<>(writePath);
      all.addAll(others);
      awaitReady(all); // not the field: a stop may clear it meanwhile
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during start-up", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("services not started after " + READY_TIMEOUT, e);
    }
  }

  /** Creates services unless a stop came first; a stop then stops them too. */
  @SafeVarargs
  private synchronized List<PorticoService> add(Supplier<PorticoService>... group) {
    if (closed) {
      throw new IllegalStateException("stopped during start-up");
    }
    List<PorticoService> added = Arrays.stream(group).map(Supplier::get).toList();
    services.addAll(added);
    return added;
  }

  /** Starts {@code group} unless a stop came first (a stop never misses a started service). */
  private synchronized Future<?> startAll(List<PorticoService> group) {
    if (closed) {
      throw new IllegalStateException("stopped during start-up");
    }
    return Future.all(group.stream().map(PorticoService::start).toList());
  }

  private synchronized void createVertx() {
    if (closed) {
      throw new IllegalStateException("stopped during start-up");
    }
    vertx = PorticoVertx.create();
  }

  /**
   * Waits for the broker child, logging every few seconds what it is doing; a broker that used up
   * its time names the variable that gives it more.
   */
  private static void awaitBroker(ChildProcessKafkaBroker broker, Duration limit) {
    long began = System.nanoTime();
    try {
      broker.awaitReady(
          limit,
          (waited, state) ->
              LOG.info(
                  "Kafka broker starting for {} s of {} s (PORTICO_BROKER_START_TIMEOUT_MS): {}",
                  waited.toSeconds(),
                  limit.toSeconds(),
                  state));
    } catch (BrokerStartException e) {
      if (System.nanoTime() - began < limit.toNanos()) {
        throw e;
      }
      throw new BrokerStartException(
          e.getMessage() + " (PORTICO_BROKER_START_TIMEOUT_MS gives it longer)", e);
    }
  }

  /**
   * Reads every service's config record, failing on the first bad value; returns the names of all
   * variables they read.
   */
  static java.util.Set<String> readServiceConfigs(ConfigReader reader) {
    CustomerConfig.read(reader);
    StreamConfig.read(reader);
    MetricsConfig.read(reader);
    AlarmConfig.read(reader);
    EdgeConfig.read(reader);
    LauncherConfig.read(reader);
    Logging.apply(reader);
    return reader.namesRead();
  }

  private static void awaitReady(List<PorticoService> group) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!group.stream().allMatch(PorticoService::isReady)) {
      if (System.nanoTime() > deadline) {
        List<String> notReady =
            group.stream().filter(s -> !s.isReady()).map(PorticoService::name).toList();
        throw new IllegalStateException(
            "Not ready after " + READY_TIMEOUT.toSeconds() + " s: " + notReady);
      }
      Thread.sleep(50); // polling a local flag; every service flips it on its own
    }
  }

  public List<String> urls() {
    List<String> urls = new ArrayList<>();
    if (broker != null) {
      urls.add("kafka: " + broker.bootstrapServers());
    }
    services.forEach(s -> urls.addAll(s.urls()));
    if (adminTokenFile != null) {
      urls.add("edge admin token: in " + adminTokenFile);
    }
    return urls;
  }

  public List<PorticoService> services() {
    return services;
  }

  private synchronized boolean stopRequested() {
    return closed;
  }

  /** Stops everything; see {@link #stop}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops the edge first (no new requests reach the others), then the other services together (they
   * depend on nothing but Kafka), then Vert.x, then the broker.
   *
   * @return true when every part stopped in time
   */
  synchronized boolean stop() {
    if (closed) {
      return true;
    }
    closed = true;
    boolean clean = true;
    List<PorticoService> edgeFirst =
        services.stream().filter(s -> s instanceof EdgeService).toList();
    List<PorticoService> others =
        services.stream().filter(s -> !(s instanceof EdgeService)).toList();
    clean &= stopTogether(edgeFirst);
    clean &= stopTogether(others);
    services.clear();
    try {
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      clean = false;
    }
    if (broker != null) {
      broker.close();
      LOG.info("Kafka broker stopped");
    }
    return clean;
  }

  private static boolean stopTogether(List<PorticoService> group) {
    List<Future<Void>> stops = group.stream().map(PorticoService::stop).toList();
    try {
      Future.join(stops).await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      for (int i = 0; i < group.size(); i++) {
        if (!stops.get(i).succeeded()) {
          LOG.warn(
              "{} did not stop cleanly: {}",
              group.get(i).name(),
              stops.get(i).failed() ? stops.get(i).cause().toString() : "still stopping");
        }
      }
      return false;
    }
  }
}
