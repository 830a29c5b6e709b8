package dev.portico.alarm;

import dev.portico.alarm.delivery.DeliveryWorker;
import dev.portico.alarm.delivery.HttpTransport;
import dev.portico.alarm.delivery.SmtpTransport;
import dev.portico.alarm.eval.DdSketches;
import dev.portico.alarm.eval.StatisticValue;
import dev.portico.alarm.notify.AlarmMessages;
import dev.portico.alarm.notify.Links;
import dev.portico.alarm.notify.MessageRenderer;
import dev.portico.alarm.rest.AlarmApi;
import dev.portico.alarm.rest.CommandBus;
import dev.portico.alarm.rest.DeliveriesApi;
import dev.portico.alarm.rest.HistoryApi;
import dev.portico.alarm.rest.Routes;
import dev.portico.alarm.rest.TopicApi;
import dev.portico.alarm.streams.AlarmTopology;
import dev.portico.alarm.streams.EvaluationSettings;
import dev.portico.alarm.streams.TopicNames;
import dev.portico.alarm.view.CommandWaiters;
import dev.portico.alarm.view.ViewReader;
import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.runtime.streams.StreamsApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Threshold alarms with CloudWatch semantics, notification topics and email delivery.
 *
 * <p>Three parts: a Kafka Streams application (exactly once) that owns alarms and topics by
 * partition, evaluates alarms and writes the outbox; a view reader that gives every replica the
 * current alarms, topics, history and deliveries for the API; and a delivery worker that sends the
 * outbox over SMTP or HTTP. The REST API is served on the service's own port.
 */
public final class AlarmService extends ServiceBase {
  /** Every topic alarm-service reads or writes; created when missing. */
  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.METRICS_DATAPOINTS,
          Topics.ALARM_STATE_CHANGES,
          Topics.ALARM_COMMANDS,
          Topics.ALARM_SIGNALS,
          Topics.ALARMS,
          Topics.ALARM_HISTORY,
          Topics.NOTIFICATION_COMMANDS,
          Topics.NOTIFICATION_MESSAGES,
          Topics.NOTIFICATION_TOPICS,
          Topics.NOTIFICATION_DELIVERIES,
          Topics.NOTIFICATION_DEAD_LETTERS);

  private final AlarmConfig config;
  private final Clock clock;
  private final TopicNames names;
  private final CommandWaiters waiters;
  private volatile StreamsApp streams;
  private volatile ViewReader views;
  private volatile DeliveryWorker worker;
  private CommandBus bus;

  public AlarmService(Vertx vertx, AlarmConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** With an evaluation clock of one's own: tests move time instead of waiting for it. */
  public AlarmService(Vertx vertx, AlarmConfig config, Clock clock) {
    super("alarm-service", vertx, config.kafka(), config.http());
    this.config = config;
    this.clock = clock;
    this.names = TopicNames.of(config.kafka());
    this.waiters = new CommandWaiters(vertx);
  }

  @Override
  protected Future<Void> startService() {
    return vertx
        .executeBlocking(
            () -> {
              TopicProvisioner.ensure(kafka, TOPICS);
              startStreams();
              views =
                  new ViewReader(
                      kafka,
                      names,
                      clock,
                      waiters,
                      Topics.ALARM_HISTORY.retention(),
                      config.deliveryListLimit());
              views.start();
              if (!views.awaitCaughtUp(Duration.ofMinutes(2))) {
                throw new IllegalStateException("The alarm views did not catch up in 2 minutes");
              }
              worker =
                  new DeliveryWorker(
                      kafka,
                      names,
                      kafka.topicPrefix() + config.applicationId() + "-delivery",
                      // the same id as in the Streams application's group: another group, no clash
                      InstanceId.resolve(config.instanceId(), config.stateDir()),
                      config.smtp().configured() ? new SmtpTransport(config.smtp()) : null,
                      new HttpTransport(),
                      config.retries(),
                      config.deliveryThreads(),
                      clock,
                      registry);
              worker.start();
              bus = new CommandBus(vertx, kafka, waiters);
              if (!config.smtp().configured()) {
                log.info("No SMTP server configured (PORTICO_SMTP_HOST): email is kept, not sent");
              }
              return null;
            })
        .onSuccess(v -> routes())
        .mapEmpty();
  }

  private void startStreams() {
    Links links = new Links(config.publicUrl(), config.dashboardUrl());
    EvaluationSettings settings =
        new EvaluationSettings(
            clock,
            config.evaluationTick(),
            config.deadline(),
            new StatisticValue(new DdSketches()),
            new AlarmMessages(config.clusterName(), links),
            new MessageRenderer(links),
            "Portico Notifications",
            registry);
    streams =
        StreamsApp.builder("alarms", kafka)
            .applicationId(config.applicationId())
            .stateDir(config.stateDir())
            .instanceId(config.instanceId())
            .metrics(registry)
            .settings(this::streamsSettings)
            .start(AlarmTopology.build(names, settings));
  }

  private void routes() {
    Routes.install(
        ops.router(),
        new AlarmApi(bus, names, views.alarms(), clock),
        new HistoryApi(views.history(), views.alarms()),
        new TopicApi(bus, names, views.topics(), clock),
        new DeliveriesApi(views.deliveries()));
  }

  /** alarm-service's own Streams settings (the rest: {@link StreamsApp}). */
  private void streamsSettings(Properties p) {
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    p.put(StreamsConfig.POLL_MS_CONFIG, config.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
  }

  @Override
  protected boolean serviceReady() {
    return streams != null && streams.running() && views != null && views.ready() && worker != null;
  }

  @Override
  protected Optional<String> serviceFailure() {
    if (streams != null && streams.failure() != null) {
      return stopped("the alarm evaluation", streams.failure());
    }
    if (views != null && views.failure() != null) {
      return stopped("the view reader", views.failure());
    }
    return worker == null ? Optional.empty() : stopped("the delivery worker", worker.failure());
  }

  /**
   * The input partitions of the alarm and topic tasks this replica runs now, as {@code
   * topic-partition}: which replica owns an alarm (tests stop the owner to test a takeover).
   */
  Set<String> activePartitions() {
    Set<String> partitions = new TreeSet<>();
    if (streams != null) {
      streams
          .streams()
          .metadataForLocalThreads()
          .forEach(
              thread ->
                  thread
                      .activeTasks()
                      .forEach(
                          task ->
                              task.topicPartitions().forEach(tp -> partitions.add(tp.toString()))));
    }
    return partitions;
  }

  /** The HTTP port actually bound (differs from the configured one when that was 0). */
  public int port() {
    return ops.actualPort();
  }

  @Override
  public List<String> urls() {
    List<String> urls = new java.util.ArrayList<>(super.urls());
    urls.add("alarms API: " + config.http().url("/alarms"));
    return urls;
  }

  @Override
  protected Future<Void> stopService() {
    return vertx.executeBlocking(
        () -> {
          if (worker != null) {
            worker.close();
          }
          if (streams != null) {
            streams.close();
          }
          if (views != null) {
            views.close();
          }
          if (bus != null) {
            bus.close();
          }
          return null;
        });
  }
}
