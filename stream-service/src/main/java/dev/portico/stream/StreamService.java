package dev.portico.stream;

import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.CompactedView;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.stream.ChannelMessages.Source;
import dev.portico.table.catalog.TableDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Change streams out: the stream reading API (DynamoDB Streams style shards, iterators and pages
 * over {@code customers.changes}, and over {@code tables.changes} for team tables with a stream),
 * triggers (rules that publish to notification topics), and the fan-out of changes, alarm
 * transitions and gateway datapoints to WebSocket channels; the API on the service's HTTP port next
 * to /health, /ready and /metrics. See docs/streams.md.
 */
public final class StreamService extends ServiceBase {
  private final StreamConfig config;
  private final Clock clock;
  private ConsumerPool pool;
  private CompactedView<TableDefinition> catalog;
  private TriggerRegistry triggers;
  private volatile TriggerProcessor processor;
  private volatile ChannelFanOut fanOut;

  public StreamService(Vertx vertx, StreamConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** With the clock iterators are issued and expired by (tests move it). */
  public StreamService(Vertx vertx, StreamConfig config, Clock clock) {
    super("stream-service", vertx, config.kafka(), config.http());
    this.config = config;
    this.clock = clock;
  }

  @Override
  protected Future<Void> startService() {
    return vertx
        .executeBlocking(
            () -> {
              TopicProvisioner.ensure(
                  kafka,
                  List.of(
                      Topics.CUSTOMER_CHANGES,
                      Topics.TABLE_CHANGES,
                      Topics.TABLES_CATALOG,
                      Topics.STREAM_TRIGGERS,
                      Topics.NOTIFICATION_MESSAGES,
                      Topics.ALARM_STATE_CHANGES,
                      Topics.METRICS_DATAPOINTS,
                      Topics.WS_CHANNELS));
              pool = new ConsumerPool(kafka, config.readerPool(), config.readTimeout());
              ShardIterators iterators = new ShardIterators(config.iteratorSecret(), clock);
              // Team tables and their streams, for /streams/{table}/...
              catalog =
                  new CompactedView<>(
                      kafka.topic(Topics.TABLES_CATALOG),
                      new KafkaConsumer<>(
                          ClientSettings.committedReader(
                              kafka.clientProperties("portico-stream-catalog")),
                          new StringDeserializer(),
                          new ByteArrayDeserializer()),
                      TableDefinition::fromJson);
              // Rules first, read to the end, so no change is processed without them.
              triggers = new TriggerRegistry(kafka, kafka.topic(Topics.STREAM_TRIGGERS));
              processor =
                  new TriggerProcessor(
                      kafka,
                      kafka.topic(Topics.CUSTOMER_CHANGES),
                      kafka.topic(Topics.TABLE_CHANGES),
                      kafka.topic(Topics.NOTIFICATION_MESSAGES),
                      triggers,
                      config.instanceId(),
                      clock,
                      registry);
              fanOut =
                  new ChannelFanOut(
                      kafka,
                      Map.of(
                          kafka.topic(Topics.CUSTOMER_CHANGES), Source.CHANGES,
                          kafka.topic(Topics.TABLE_CHANGES), Source.TABLES,
                          kafka.topic(Topics.ALARM_STATE_CHANGES), Source.ALARMS,
                          kafka.topic(Topics.METRICS_DATAPOINTS), Source.METRICS),
                      kafka.topic(Topics.WS_CHANNELS),
                      config.instanceId(),
                      registry);
              return new StreamReader(pool, iterators, config.readTimeout());
            })
        // Routes are added on the event loop: the router is not safe to change from a worker.
        .map(
            reader -> {
              StreamSources sources =
                  new StreamSources(
                      kafka.topic(Topics.CUSTOMER_CHANGES),
                      kafka.topic(Topics.TABLE_CHANGES),
                      catalog);
              new StreamApi(vertx, sources, reader, registry).mount(ops.router());
              new TriggerApi(vertx, triggers).mount(ops.router());
              return null;
            });
  }

  /**
   * Ready once the trigger processor and the channel fan-out hold their partitions (so no new
   * change is skipped).
   */
  @Override
  protected boolean serviceReady() {
    return processor != null && processor.ready() && fanOut != null && fanOut.ready();
  }

  @Override
  protected Optional<String> serviceFailure() {
    if (processor != null && processor.failure() != null) {
      return stopped("the trigger processor", processor.failure());
    }
    if (catalog != null && catalog.failure() != null) {
      return stopped("the table catalog view", catalog.failure());
    }
    return fanOut == null ? Optional.empty() : stopped("the channel fan-out", fanOut.failure());
  }

  @Override
  protected Future<Void> stopService() {
    return closeInOrder(fanOut, processor, triggers, catalog, pool);
  }
}
