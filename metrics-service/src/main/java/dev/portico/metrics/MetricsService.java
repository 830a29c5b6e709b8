package dev.portico.metrics;

import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.metrics.aggregation.AggregationCounters;
import dev.portico.metrics.aggregation.AggregationSettings;
import dev.portico.metrics.aggregation.MetricsTopology;
import dev.portico.metrics.http.DatumPublisher;
import dev.portico.metrics.http.MetricsApi;
import dev.portico.metrics.query.LocalMetricReader;
import dev.portico.metrics.query.RoutingMetricReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.runtime.streams.StreamsApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;

/**
 * CloudWatch-style statistics from gateway request events and custom metrics: a Kafka Streams
 * application (exactly-once) that aggregates samples into final per-period datapoints, the metrics
 * HTTP API (PutMetricData, GetMetricStatistics, ListMetrics) on the service's port, and its own
 * Prometheus counters on /metrics.
 */
public final class MetricsService extends ServiceBase {
  private final MetricsConfig config;
  private final Clock clock;
  final StateDiskUsage diskUsage;
  private volatile StreamsApp streams;
  private volatile DatumPublisher publisher;
  private volatile HostInfo self;

  public MetricsService(Vertx vertx, MetricsConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** With the clock that decides lateness and finality (tests move it by hand). */
  public MetricsService(Vertx vertx, MetricsConfig config, Clock clock) {
    super("metrics-service", vertx, config.kafka(), config.http());
    this.config = config;
    this.clock = clock;
    this.diskUsage =
        new StateDiskUsage(vertx, config.stateDir(), config.diskBudgetBytes(), registry);
    LocalMetricReader local = new LocalMetricReader(this::runningStreams);
    new MetricsApi(
            vertx,
            () -> publisher,
            new RoutingMetricReader(local, this::runningStreams, () -> self),
            local,
            config.retention(),
            clock)
        .mount(ops.router());
  }

  @Override
  protected Future<Void> startService() {
    return vertx
        .<Void>executeBlocking(
            () -> {
              TopicProvisioner.ensure(
                  kafka,
                  List.of(
                      Topics.GATEWAY_REQUESTS, Topics.METRICS_CUSTOM, Topics.METRICS_DATAPOINTS));
              publisher = new DatumPublisher(kafka);
              // The HTTP port is bound by now (the ops server starts first), also when it was 0.
              self = new HostInfo(config.replicaHost(), ops.actualPort());
              streams =
                  StreamsApp.builder("metrics aggregation", kafka)
                      .applicationId(config.applicationId())
                      .stateDir(config.stateDir())
                      .instanceId(config.instanceId())
                      .metrics(registry)
                      .settings(this::streamsSettings)
                      .start(
                          MetricsTopology.build(
                              kafka.topic(Topics.GATEWAY_REQUESTS),
                              kafka.topic(Topics.METRICS_CUSTOM),
                              kafka.topic(Topics.METRICS_DATAPOINTS),
                              aggregationSettings(),
                              new AggregationCounters(registry, "gateway"),
                              new AggregationCounters(registry, "custom"),
                              new AggregationCounters(registry, "function")));
              return null;
            })
        .onSuccess(v -> diskUsage.start())
        .mapEmpty();
  }

  AggregationSettings aggregationSettings() {
    return new AggregationSettings(
        config.highResolutionGrace(),
        config.grace(),
        config.closeInterval(),
        config.gatewayHighResolution(),
        config.retention(),
        clock);
  }

  /** metrics-service's own Streams settings (the rest: {@link StreamsApp}). */
  void streamsSettings(Properties p) {
    // A commit (flush, offsets, end of transaction: several broker round trips) is per interval,
    // not per event: a long interval lets one commit cover many events. Datapoints do not wait
    // for it: the close check that emits them asks for a commit at once (WindowAggregator).
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    // Where other replicas send queries for this one's partitions.
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    p.put(StreamsConfig.POLL_MS_CONFIG, Math.min(100, config.commitInterval().toMillis()));
    // Request events are aggregated per period: fewer, fuller fetches.
    ClientSettings.batchConsumer(new HashMap<>())
        .forEach((key, value) -> p.put(StreamsConfig.mainConsumerPrefix(key), value));
    // The aggregators' punctuators delete through it while over the disk budget (StateDiskUsage).
    p.put(dev.portico.metrics.aggregation.BudgetEnforcer.CONFIG, diskUsage.enforcer());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
    // The open-period store keeps its own live objects (LiveCellStore); final periods are
    // written once each: Streams' byte cache would only add copies.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    // Each task reads one input partition, so there is nothing to wait for to order records across
    // partitions; and while idling is enabled, Streams formats log strings (String.format) every
    // time it checks an empty task, measured at 15% of the stream thread's CPU.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // A record no one can parse is skipped (and counted by Streams' dropped-records metric)
    // rather than stopping every metric.
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
  }

  private KafkaStreams runningStreams() {
    StreamsApp current = streams;
    if (current == null) {
      throw new org.apache.kafka.streams.errors.InvalidStateStoreException("not started");
    }
    return current.streams();
  }

  @Override
  protected boolean serviceReady() {
    StreamsApp current = streams;
    return current != null && current.running();
  }

  @Override
  protected Optional<String> serviceFailure() {
    StreamsApp current = streams;
    return current == null ? Optional.empty() : stopped("the aggregation", current.failure());
  }

  /** The HTTP port actually bound (differs from the configured one when that was 0). */
  public int httpPort() {
    return ops.actualPort();
  }

  @Override
  public List<String> urls() {
    List<String> urls = new java.util.ArrayList<>(super.urls());
    urls.add(
        "metrics API: "
            + new HttpEndpoint(ops.endpoint().host(), ops.actualPort()).url("/metrics/list"));
    return urls;
  }

  @Override
  protected Future<Void> stopService() {
    diskUsage.stop();
    return vertx.executeBlocking(
        () -> {
          StreamsApp current = streams;
          if (current != null) {
            current.close();
            streams = null;
          }
          if (publisher != null) {
            publisher.close();
            publisher = null;
          }
          return null;
        });
  }
}
