package dev.portico.function;

import dev.portico.kit.client.KafkaAccessCheck;
import dev.portico.kit.client.KafkaClientEnvironment;
import dev.portico.kit.client.KafkaClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Portico function: consumes request events from a topic, calls a {@link FunctionHandler} for
 * each, and sends the response event to the reply address of the request, exactly once through a
 * Kafka transaction.
 *
 * <pre>{@code
 * PorticoFunction.builder()
 *     .bootstrapServers("localhost:9092")
 *     .topic("portico.fn.hello")
 *     .groupId("hello-function")
 *     .handler((request, context) -> FunctionResponse.json(200, "{\"hello\":\"world\"}", Map.of()))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Replicas with the same group id share the topic's partitions. Give each replica a stable,
 * distinct {@link Builder#instanceId instance id}: a replica restarted after a crash then aborts
 * its predecessor's open transaction at once, instead of the partitions waiting for Kafka's
 * transaction timeout.
 *
 * <p>Over 300 lines with its {@link Builder}: the SDK's public settings, each documented and
 * checked where a function's author sets it.
 */
public final class PorticoFunction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PorticoFunction.class);
  private static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(15);

  private final FunctionSettings settings;
  private final FunctionHandler handler;
  private final KafkaClientProperties kafkaClient;
  private final Tally totals = new Tally();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;
  private volatile TransactionalLoop loop;
  private volatile Thread runner;
  private volatile Throwable failure;
  private volatile MetricsEndpoint metrics;

  private PorticoFunction(
      FunctionSettings settings, FunctionHandler handler, KafkaClientProperties kafkaClient) {
    this.settings = settings;
    this.handler = handler;
    this.kafkaClient = kafkaClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serves requests on the calling thread until {@link #close()} (also called by a shutdown hook,
   * so Ctrl-C or SIGTERM lets the current transaction commit first).
   *
   * @throws org.apache.kafka.common.KafkaException when a Kafka error leaves the function unable to
   *     go on, for example when a newer instance with the same instance id fenced it
   */
  public void run() {
    claim();
    Thread hook = new Thread(this::close, "portico-function-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      serve();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what stopped us.
      }
    }
  }

  /** Serves requests on a thread of its own until {@link #close()}; returns at once. */
  public PorticoFunction start() {
    claim();
    Thread thread =
        new Thread(
            () -> {
              try {
                serve();
              } catch (RuntimeException | Error e) {
                LOG.error("Function {} stopped on an error", settings.transactionalId(), e);
              }
            },
            "portico-function-" + settings.transactionalId());
    thread.start();
    return this;
  }

  /** True from {@link #run()} or {@link #start()} until the function has stopped. */
  public boolean isRunning() {
    return started.get() && stopped.getCount() > 0;
  }

  /** Why the function stopped on its own, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** What the function has done so far. */
  public Counters counters() {
    return totals.snapshot();
  }

  /**
   * The port {@code GET /metrics} listens on, once the function serves it ({@link
   * Builder#metricsPort}); empty before and after.
   */
  public java.util.OptionalInt metricsPort() {
    MetricsEndpoint endpoint = metrics;
    return endpoint == null
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(endpoint.port());
  }

  /** The producer's {@code transactional.id}: group id and instance id. */
  public String transactionalId() {
    return settings.transactionalId();
  }

  /**
   * Stops taking new requests, lets the current transaction commit, closes the Kafka clients, and
   * waits for all that (up to 30 s) unless called from the handler itself.
   */
  @Override
  public void close() {
    closing = true;
    TransactionalLoop current = loop;
    if (current != null) {
      current.wakeup();
    }
    if (!started.get() || Thread.currentThread() == runner) {
      return;
    }
    try {
      if (!stopped.await(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Function {} did not stop within {}", transactionalId(), settings.closeTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void claim() {
    if (closing) {
      throw new IllegalStateException("this function is closed; build a new one");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this function is already running; build a new one");
    }
  }

  private void serve() {
    runner = Thread.currentThread();
    try {
      if (kafkaClient.secured()) {
        // A refused password or certificate ends here with the setting named, not in a retry
        // loop inside the Kafka clients.
        KafkaAccessCheck.verify(settings.adminProperties(), kafkaClient, ACCESS_CHECK_TIMEOUT);
      }
      if (settings.createTopic() != null) {
        TopicCreator.createIfMissing(settings);
      }
      if (settings.metricsPort() != null) {
        metrics =
            MetricsEndpoint.start(
                settings.metricsHost(), settings.metricsPort(), totals, settings.topic());
        LOG.info("Metrics on http://{}:{}/metrics", settings.metricsHost(), metrics.port());
      }
      // Published before the loop checks closing, so a concurrent close() either sees the loop
      // and wakes it, or the loop sees closing.
      loop =
          new TransactionalLoop(
              settings,
              new RequestProcessor(handler, settings.maxRecordBytes()),
              totals,
              () -> closing);
      LOG.info("Function {} serving {}", transactionalId(), settings.topic());
      loop.run();
      LOG.info("Function {} stopped", transactionalId());
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      MetricsEndpoint endpoint = metrics;
      metrics = null;
      if (endpoint != null) {
        endpoint.close();
      }
      stopped.countDown();
    }
  }

  /**
   * Settings of a {@link PorticoFunction}; bootstrap servers, topic, group id and handler are
   * required.
   */
  public static final class Builder {
    static final String METRICS_PORT = "PORTICO_FUNCTION_METRICS_PORT";
    static final String METRICS_HOST = "PORTICO_FUNCTION_METRICS_HOST";
    private String bootstrapServers;
    private String topic;
    private String groupId;
    private String instanceId;
    private FunctionHandler handler;
    private Duration maxTransactionTime = Duration.ofMillis(100);
    private FunctionSettings.NewTopicSpec createTopic;
    private String metricsHost = "0.0.0.0";
    private Integer metricsPort;
    private KafkaClientProperties kafkaClient = KafkaClientProperties.plain();
    private final Map<String, Object> clientOverrides = new HashMap<>();
    private final Map<String, Object> consumerOverrides = new HashMap<>();
    private final Map<String, Object> producerOverrides = new HashMap<>();

    private Builder() {}

    /** Kafka's {@code bootstrap.servers}: {@code host:port,...}. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** The topic the edge publishes this function's request events to. */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** The consumer group shared by all replicas of the function. */
    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /**
     * This replica's id, stable across its restarts and distinct among running replicas (a
     * StatefulSet pod name, a host name). {@code transactional.id} is {@code groupId-instanceId}. A
     * second replica with the same id fences the first, which then stops. Default: a random id,
     * which is safe but makes a crashed replica's partitions wait for its transaction to time out.
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    public Builder handler(FunctionHandler handler) {
      this.handler = handler;
      return this;
    }

    /**
     * How long a transaction may stay open before it commits (default 100 ms): the bound on how
     * much a batch of requests delays its first reply.
     */
    public Builder maxTransactionTime(Duration maxTransactionTime) {
      this.maxTransactionTime = maxTransactionTime;
      return this;
    }

    /** Creates the topic at start when it does not exist (a warning if that fails). */
    public Builder createTopicIfMissing(int partitions, short replicationFactor) {
      this.createTopic = new FunctionSettings.NewTopicSpec(partitions, replicationFactor);
      return this;
    }

    /**
     * Reads how to reach Kafka from {@code PORTICO_KAFKA_*} variables, as Portico's services do:
     * {@code PORTICO_KAFKA_BOOTSTRAP} (or the properties file's {@code bootstrap.servers}), TLS,
     * SASL, {@code PORTICO_KAFKA_PROPERTIES_FILE} and pass-through properties. Pass {@code
     * System.getenv()}. A refused password or certificate then stops {@link #run()} with a {@link
     * dev.portico.kit.client.KafkaSettingException} naming the variable.
     *
     * @throws dev.portico.kit.client.KafkaSettingException naming the variable when a setting, or a
     *     combination, cannot be used
     */
    public Builder kafkaFromEnvironment(Map<String, String> env) {
      kafkaClient = KafkaClientEnvironment.read(env);
      clientOverrides.putAll(kafkaClient.asMap());
      String bootstrap = env.get(KafkaClientEnvironment.BOOTSTRAP);
      if (bootstrap != null && !bootstrap.isBlank()) {
        bootstrapServers = bootstrap.trim();
      } else {
        kafkaClient.fileBootstrap().ifPresent(file -> bootstrapServers = file);
      }
      return this;
    }

    /**
     * Serves the function's counters and handler times on {@code GET /metrics} at this port, in
     * Prometheus' text format (0: any free port, see {@link PorticoFunction#metricsPort()}).
     * Default: no endpoint.
     */
    public Builder metricsPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("metricsPort must be 0-65535, got " + port);
      }
      this.metricsPort = port;
      return this;
    }

    /** The address {@code GET /metrics} listens on (default {@code 0.0.0.0}: every interface). */
    public Builder metricsHost(String host) {
      require(host, "metricsHost");
      this.metricsHost = host.trim();
      return this;
    }

    /**
     * Reads {@link #metricsPort} and {@link #metricsHost} from {@code
     * PORTICO_FUNCTION_METRICS_PORT} and {@code PORTICO_FUNCTION_METRICS_HOST}, as the Node.js and
     * Python SDKs do; an unset or blank variable leaves the setting as it was. Pass {@code
     * System.getenv()}.
     *
     * @throws IllegalArgumentException naming the variable when the port is not 0-65535
     */
    public Builder metricsFromEnvironment(Map<String, String> env) {
      String port = env.get(METRICS_PORT);
      if (port != null && !port.isBlank()) {
        try {
          metricsPort(Integer.parseInt(port.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              METRICS_PORT + " must be a port number 0-65535, got '" + port + "'", e);
        }
      }
      String host = env.get(METRICS_HOST);
      if (host != null && !host.isBlank()) {
        metricsHost(host);
      }
      return this;
    }

    /** A Kafka property for every client (for example {@code security.protocol}). */
    public Builder clientProperty(String name, Object value) {
      clientOverrides.put(name, value);
      return this;
    }

    /**
     * A consumer property. {@code group.id}, {@code enable.auto.commit} and {@code isolation.level}
     * are the function's own and cannot be overridden.
     */
    public Builder consumerProperty(String name, Object value) {
      consumerOverrides.put(name, value);
      return this;
    }

    /**
     * A producer property. {@code transactional.id}, {@code enable.idempotence} and {@code acks}
     * are the function's own and cannot be overridden.
     */
    public Builder producerProperty(String name, Object value) {
      producerOverrides.put(name, value);
      return this;
    }

    public PorticoFunction build() {
      require(bootstrapServers, "bootstrapServers");
      require(topic, "topic");
      require(groupId, "groupId");
      Objects.requireNonNull(handler, "handler is required");
      if (maxTransactionTime == null || maxTransactionTime.isNegative()) {
        throw new IllegalArgumentException("maxTransactionTime must be zero or positive");
      }
      if (createTopic != null
          && (createTopic.partitions() < 1 || createTopic.replicationFactor() < 1)) {
        throw new IllegalArgumentException("createTopicIfMissing needs at least 1 and 1");
      }
      String instance =
          instanceId == null || instanceId.isBlank()
              ? UUID.randomUUID().toString().substring(0, 8)
              : instanceId;
      return new PorticoFunction(
          new FunctionSettings(
              bootstrapServers,
              topic,
              groupId,
              instance,
              Duration.ofSeconds(1),
              maxTransactionTime,
              Duration.ofSeconds(30),
              createTopic,
              metricsHost,
              metricsPort,
              Map.copyOf(clientOverrides),
              Map.copyOf(consumerOverrides),
              Map.copyOf(producerOverrides)),
          handler,
          kafkaClient);
    }

    private static void require(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " is required");
      }
    }
  }
}
