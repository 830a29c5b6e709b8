package dev.portico.stream;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * Change streams out: the stream reading API (DynamoDB Streams style shards, iterators and pages
 * over {@code customers.changes}) and triggers (rules that publish to notification topics), on the
 * service's HTTP port next to /health, /ready and /metrics. See docs/streams.md.
 */
public final class StreamService extends ServiceBase {
  private final StreamConfig config;
  private final Clock clock;
  private ConsumerPool pool;
  private TriggerRegistry triggers;
  private TriggerProcessor processor;

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
                      Topics.STREAM_TRIGGERS,
                      Topics.NOTIFICATION_MESSAGES));
              pool = new ConsumerPool(kafka, config.readerPool(), config.readTimeout());
              ShardIterators iterators =
                  new ShardIterators("customers", config.iteratorSecret(), clock);
              // Rules first, read to the end, so no change is processed without them.
              triggers = new TriggerRegistry(kafka, kafka.topic(Topics.STREAM_TRIGGERS));
              processor =
                  new TriggerProcessor(
                      kafka,
                      kafka.topic(Topics.CUSTOMER_CHANGES),
                      kafka.topic(Topics.NOTIFICATION_MESSAGES),
                      triggers,
                      clock,
                      registry);
              return new StreamReader(
                  kafka.topic(Topics.CUSTOMER_CHANGES), pool, iterators, config.readTimeout());
            })
        // Routes are added on the event loop: the router is not safe to change from a worker.
        .map(
            reader -> {
              new StreamApi(vertx, reader, registry).mount(ops.router());
              new TriggerApi(vertx, triggers).mount(ops.router());
              return null;
            });
  }

  /** Ready once the trigger processor holds its partitions (so no new change is skipped). */
  @Override
  protected boolean serviceReady() {
    return processor != null && processor.ready();
  }

  @Override
  protected Future<Void> stopService() {
    return vertx.executeBlocking(
        () -> {
          if (processor != null) {
            processor.close();
          }
          if (triggers != null) {
            triggers.close();
          }
          if (pool != null) {
            pool.close();
          }
          return null;
        });
  }
}
