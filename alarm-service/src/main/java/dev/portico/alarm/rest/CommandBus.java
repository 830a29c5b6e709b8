package dev.portico.alarm.rest;

import dev.portico.alarm.streams.EventHeaders;
import dev.portico.alarm.view.CommandWaiters;
import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.kit.ClientSettings;
import dev.portico.runtime.KafkaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the API's commands and messages to Kafka without blocking the event loop (a send that must
 * wait for metadata runs on a worker), and for commands, waits until this replica's views show the
 * command applied.
 */
public final class CommandBus implements AutoCloseable {
  /** How long the API waits for a command to be applied before answering 503. */
  static final Duration APPLY_TIMEOUT = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final CommandWaiters waiters;
  private final KafkaProducer<String, byte[]> producer;

  public CommandBus(Vertx vertx, KafkaSettings kafka, CommandWaiters waiters) {
    this.vertx = vertx;
    this.waiters = waiters;
    Map<String, Object> p =
        ClientSettings.requestProducer(kafka.clientProperties("portico-alarm-api"));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends a command and completes when it is applied, with its outcome. */
  <V> Future<CommandWaiters.Outcome> command(BoundTopic<V> topic, String key, V command) {
    String id = UUID.randomUUID().toString();
    Future<CommandWaiters.Outcome> applied = waiters.register(id, APPLY_TIMEOUT.toMillis());
    ProducerRecord<String, byte[]> record = topic.record(key, command);
    ProtocolHeaders.put(record.headers(), EventHeaders.COMMAND_ID, id);
    return send(record).onFailure(e -> waiters.forget(id)).compose(v -> applied);
  }

  /** Sends a record and completes when Kafka has it (acks=all). */
  <V> Future<Void> publish(BoundTopic<V> topic, String key, V value) {
    return send(topic.record(key, value));
  }

  private Future<Void> send(ProducerRecord<String, byte[]> record) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> acked = Promise.promise();
    vertx
        .executeBlocking(
            () ->
                producer.send(
                    record,
                    (meta, e) ->
                        context.runOnContext(
                            v -> {
                              if (e == null) {
                                acked.tryComplete();
                              } else {
                                acked.tryFail(e);
                              }
                            })),
            false)
        .onFailure(acked::tryFail);
    return acked.future();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
