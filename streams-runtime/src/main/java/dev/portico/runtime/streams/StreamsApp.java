package dev.portico.runtime.streams;

import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's Kafka Streams application, started and stopped the one way: the application id after
 * the topic prefix, exactly-once v2, the state directory, the topic replication, static group
 * membership, the service's metrics and a log line per state change; the service adds only its
 * topology and its own settings.
 *
 * <p>Static membership: every stream thread joins as {@code <instance id>-<thread index>} (Kafka
 * Streams appends the index to {@code group.instance.id}), the instance id kept in the state
 * directory ({@link InstanceId}). A replica restarted after a crash ({@code kill -9}) on the same
 * state takes its members' places at once; with dynamic membership its join waited until the dead
 * members' sessions expired (45 s), and a stop meanwhile waited on that join.
 *
 * <p>{@link #close()} leaves the group (other replicas take the partitions over at once) and is
 * bounded by {@link #CLOSE_TIMEOUT}.
 */
public final class StreamsApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  /**
   * How long {@link #close()} waits for the stream threads. A settled application commits and
   * leaves in well under a second; what can take longer is a main consumer whose JoinGroup is
   * parked at the coordinator (a rebalance waiting for a member), which Kafka Streams closes with
   * the consumer's default 30 s. Those threads finish on their own: under exactly-once their open
   * transaction is aborted and a store left without a checkpoint is restored from its changelog.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final AtomicReference<Throwable> uncaught;

  private StreamsApp(
      String name,
      KafkaStreams streams,
      KafkaStreamsMetrics metrics,
      AtomicReference<Throwable> uncaught) {
    this.name = name;
    this.streams = streams;
    this.metrics = metrics;
    this.uncaught = uncaught;
  }

  /**
   * @param name names the application in logs ("metrics aggregation")
   */
  public static Builder builder(String name, KafkaSettings kafka) {
    return new Builder(name, kafka);
  }

  /** The running application (for interactive queries and metadata). */
  public KafkaStreams streams() {
    return streams;
  }

  /** True while the application processes (not while it starts, rebalances or stops). */
  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * The error that stopped the application, or null while it runs (or after a clean close). A
   * stream thread's uncaught error shuts the whole client down ({@code SHUTDOWN_CLIENT}, state
   * ERROR): the service then reports it as its failure and the process exits to be restarted, which
   * is what Kafka Streams users expect of an orchestrated application.
   */
  public Throwable failure() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR) {
      return null;
    }
    Throwable error = uncaught.get();
    return error != null ? error : new IllegalStateException("Kafka Streams is in state " + state);
  }

  /** Commits, leaves the group and stops, waiting at most {@link #CLOSE_TIMEOUT}. */
  @Override
  public void close() {
    boolean stopped =
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    if (!stopped) {
      LOG.warn(
          "{}: stream threads still stopping after {} ms; they finish on their own",
          name,
          CLOSE_TIMEOUT.toMillis());
    }
    metrics.close();
  }

  /** How one service's application is named, stored, identified and measured. */
  public static final class Builder {
    private final String name;
    private final KafkaSettings kafka;
    private String applicationId;
    private Path stateDir;
    private String instanceId = "";
    private MeterRegistry registry;
    private Consumer<Properties> settings = p -> {};

    private Builder(String name, KafkaSettings kafka) {
      this.name = Objects.requireNonNull(name);
      this.kafka = Objects.requireNonNull(kafka);
    }

    /** The application id before the topic prefix, shared by every replica. */
    public Builder applicationId(String applicationId) {
      this.applicationId = Objects.requireNonNull(applicationId);
      return this;
    }

    /** Where the stores (and the instance id) live. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = Objects.requireNonNull(stateDir);
      return this;
    }

    /** This replica's id when configured; empty (the default): the one kept in the state dir. */
    public Builder instanceId(String instanceId) {
      this.instanceId = Objects.requireNonNull(instanceId);
      return this;
    }

    /** The service's registry, which gets Kafka Streams' metrics. */
    public Builder metrics(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry);
      return this;
    }

    /**
     * The service's own settings (commit interval, threads, caches, handlers). Applied first: the
     * settings above win over them.
     */
    public Builder settings(Consumer<Properties> settings) {
      this.settings = Objects.requireNonNull(settings);
      return this;
    }

    /** The properties the application starts with; reads or creates the instance id. */
    public Properties properties() {
      Objects.requireNonNull(applicationId, "applicationId");
      Objects.requireNonNull(stateDir, "stateDir");
      Properties p = kafka.streamsProperties();
      settings.accept(p);
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.topicPrefix() + applicationId);
      // Each result, its state and the input offsets commit together: nothing counted twice or
      // emitted twice across crashes and restarts.
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
      p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replication());
      // The main consumers only (Streams removes it from the restore and global consumers), each
      // with its thread index appended.
      p.put(
          StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          InstanceId.resolve(instanceId, stateDir));
      return p;
    }

    /** Creates the application, binds its metrics and starts it (returns at once). */
    public StreamsApp start(Topology topology) {
      Objects.requireNonNull(registry, "metrics");
      KafkaStreams streams = new KafkaStreams(topology, properties());
      streams.setStateListener((now, before) -> LOG.info("{}: {} -> {}", name, before, now));
      AtomicReference<Throwable> uncaught = new AtomicReference<>();
      streams.setUncaughtExceptionHandler(
          error -> {
            uncaught.compareAndSet(null, error);
            LOG.error("{}: a stream thread failed; stopping the application", name, error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          });
      KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
      metrics.bindTo(registry);
      streams.start();
      return new StreamsApp(name, streams, metrics, uncaught);
    }
  }
}
