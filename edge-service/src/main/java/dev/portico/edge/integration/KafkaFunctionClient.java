package dev.portico.edge.integration;

import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.FunctionEvent;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.RecordSizes;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.Topics;
import dev.portico.edge.request.GatewayError;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge side of the function protocol: publishes a request event and completes a future with the
 * matching response event from this instance's reply partition.
 *
 * <p>Rules: a reply is matched by correlation id; a reply nobody waits for any more is counted
 * ({@code portico_edge_late_replies_total}) and dropped; when its request timed out, at most {@link
 * TimedOutCalls#WINDOW} ago, the caller's late-reply action runs once (on the reply listener's
 * thread) so the reply counts for its function too. When the timeout fires, a request whose record
 * the broker acknowledged fails with 504; one that was never acknowledged fails with 503 (Kafka
 * unavailable), so a request never hangs. A request event that does not fit in one record ({@code
 * PORTICO_KAFKA_MAX_MESSAGE_BYTES}, the producer's {@code max.request.size}) fails with 413 before
 * it is sent; one the broker refuses as too large for its topic's {@code max.message.bytes} fails
 * with 413 too. {@code send()} can block on metadata, so it runs on a dedicated sender thread,
 * never on the event loop.
 *
 * <p>Longer than most classes on purpose: the pending calls, their timers, the sender thread and
 * the reply consumer keep one invariant together (each call completes exactly once, by its reply,
 * its timeout or a send failure), and it is checked best where it can be read whole.
 */
public final class KafkaFunctionClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFunctionClient.class);

  private final Vertx vertx;
  private final String replyTopic;
  private final int replyPartition;
  private final int maxRecordBytes;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ExecutorService sender;
  private final ConsumerLoop<String, byte[]> listener;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final TimedOutCalls timedOut = new TimedOutCalls(System::nanoTime);
  private final Counter lateReplies;
  private final Counter malformedReplies;
  private final KafkaClientMetrics producerMetrics;
  private final KafkaClientMetrics consumerMetrics;

  private static final class Pending {
    final Promise<FunctionResponse> promise;
    final Context context;
    final Runnable onLateReply;
    volatile boolean acknowledged;
    long timerId;

    Pending(Promise<FunctionResponse> promise, Context context, Runnable onLateReply) {
      this.promise = promise;
      this.context = context;
      this.onLateReply = onLateReply;
    }
  }

  public KafkaFunctionClient(
      Vertx vertx,
      KafkaSettings kafka,
      String replyTopic,
      int replyPartition,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.replyTopic = replyTopic;
    this.replyPartition = replyPartition;
    this.maxRecordBytes = kafka.maxMessageBytes();
    this.producer =
        new KafkaProducer<>(
            producerProps(kafka), new StringSerializer(), new ByteArraySerializer());
    this.consumer =
        new KafkaConsumer<>(
            consumerProps(kafka), new StringDeserializer(), new ByteArrayDeserializer());
    this.sender = Executors.newSingleThreadExecutor(r -> daemon(r, "portico-edge-kafka-sender"));
    this.lateReplies =
        Counter.builder("portico.edge.late.replies")
            .description("Replies that arrived after their request timed out")
            .register(registry);
    this.malformedReplies =
        Counter.builder("portico.edge.malformed.replies")
            .description("Response events that could not be parsed")
            .register(registry);
    Gauge.builder("portico.edge.pending.requests", pending, Map::size)
        .description("Requests sent to a kafka integration and waiting for their reply")
        .register(registry);
    // Kafka's own client metrics (request latency, record errors, fetch lag) on /metrics too.
    this.producerMetrics = new KafkaClientMetrics(producer);
    this.consumerMetrics = new KafkaClientMetrics(consumer);
    producerMetrics.bindTo(registry);
    consumerMetrics.bindTo(registry);
    this.listener =
        ConsumerLoop.builder("portico-edge-reply-listener", consumer)
            .onBatch(replies -> replies.forEach(this::deliver))
            .build();
  }

  private static Map<String, Object> producerProps(KafkaSettings kafka) {
    // Latency over batching: a request waits for its record, so never linger.
    Map<String, Object> props =
        ClientSettings.requestProducer(kafka.clientProperties("portico-edge-requests"));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, kafka.maxMessageBytes());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // Past this no client still waits: a later delivery would only be a surprise write.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    return props;
  }

  private static Map<String, Object> consumerProps(KafkaSettings kafka) {
    // Measured: 2 ms and 500 ms give the same reply latency (a parked fetch is answered as soon
    // as a reply commits), but 2 ms cost the broker a third of a core at idle.
    // Replies written inside a function's transaction count only once it commits.
    Map<String, Object> props =
        ClientSettings.committedReader(
            ClientSettings.tailConsumer(kafka.clientProperties("portico-edge-replies")));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    return props;
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Blocking: checks the reply partition exists and starts listening at its end. */
  public void start() {
    // A topic created moments ago may not be in the metadata yet: ask again until it is.
    List<org.apache.kafka.common.PartitionInfo> partitions = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((partitions == null || partitions.size() <= replyPartition)
        && System.nanoTime() < deadline) {
      partitions = consumer.partitionsFor(replyTopic, Duration.ofSeconds(30));
      if (partitions == null || partitions.size() <= replyPartition) {
        try {
          Thread.sleep(100); // metadata refresh backoff (start-up only, not the event loop)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (partitions == null || partitions.size() <= replyPartition) {
      int count = partitions == null ? 0 : partitions.size();
      throw new IllegalStateException(
          "PORTICO_EDGE_INSTANCE="
              + replyPartition
              + " needs partition "
              + replyPartition
              + " of "
              + replyTopic
              + ", which has "
              + count
              + " partitions; give each edge replica a distinct instance number below "
              + count);
    }
    TopicPartition tp = new TopicPartition(replyTopic, replyPartition);
    consumer.assign(List.of(tp));
    consumer.seekToEnd(List.of(tp));
    consumer.position(tp);
    listener.start();
  }

  /** The error the reply listener stopped with, or null while it listens. */
  public Throwable failure() {
    return listener.failure();
  }

  /** Fetches topic metadata now so that the first request does not pay for it. */
  public void warmUp(String topic) {
    producer.partitionsFor(topic);
  }

  /**
   * Publishes {@code request} to {@code topic} and waits up to {@code timeout} for its response.
   * Must be called on a Vert.x context; the future completes on that context.
   */
  public Future<FunctionResponse> invoke(
      String topic, String key, Object request, String correlationId, Duration timeout) {
    return invoke(topic, key, request, correlationId, timeout, null);
  }

  /**
   * As {@link #invoke(String, String, Object, String, Duration)}; when the request times out and
   * its reply still comes (within {@link TimedOutCalls#WINDOW}), {@code onLateReply} runs once, on
   * the reply listener's thread (it must not block).
   */
  public Future<FunctionResponse> invoke(
      String topic,
      String key,
      Object request,
      String correlationId,
      Duration timeout,
      Runnable onLateReply) {
    return invoke(
        requestRecord(topic, null, key, request, correlationId),
        correlationId,
        timeout,
        onLateReply);
  }

  /**
   * As {@link #invoke(String, String, Object, String, Duration)}, to an exact partition of {@code
   * topic} (a page of a scan that walks the partitions).
   */
  public Future<FunctionResponse> invoke(
      String topic,
      int partition,
      String key,
      Object request,
      String correlationId,
      Duration timeout) {
    return invoke(
        requestRecord(topic, partition, key, request, correlationId), correlationId, timeout, null);
  }

  /** How many partitions {@code topic} has (blocking on metadata the first time). */
  public int partitionCount(String topic) {
    return producer.partitionsFor(topic).size();
  }

  private Future<FunctionResponse> invoke(
      ProducerRecord<String, byte[]> record,
      String correlationId,
      Duration timeout,
      Runnable onLateReply) {
    ProtocolHeaders.put(record.headers(), ProtocolHeaders.REPLY_TOPIC, replyTopic);
    ProtocolHeaders.put(
        record.headers(), ProtocolHeaders.REPLY_PARTITION, Integer.toString(replyPartition));
    ProtocolHeaders.put(
        record.headers(),
        ProtocolHeaders.DEADLINE,
        Long.toString(System.currentTimeMillis() + timeout.toMillis()));
    IntegrationException tooLarge = tooLarge(record);
    if (tooLarge != null) {
      return Future.failedFuture(tooLarge);
    }
    Context context = vertx.getOrCreateContext();
    Promise<FunctionResponse> promise = Promise.promise();
    Pending call = new Pending(promise, context, onLateReply);
    pending.put(correlationId, call);
    call.timerId = vertx.setTimer(timeout.toMillis(), id -> expire(correlationId));
    try {
      sender.execute(() -> send(record, correlationId, call));
    } catch (RejectedExecutionException e) {
      fail(
          correlationId,
          new IntegrationException(GatewayError.KAFKA_UNAVAILABLE, "edge is shutting down"));
    }
    return promise.future();
  }

  /**
   * Async mode: publishes {@code request} with no reply address (the function answers nobody) and
   * completes once the broker has acknowledged it; fails with 503 if that takes over {@code
   * timeout}.
   */
  public Future<Void> publish(
      String topic, String key, Object request, String requestId, Duration timeout) {
    ProducerRecord<String, byte[]> record = requestRecord(topic, null, key, request, requestId);
    IntegrationException tooLarge = tooLarge(record);
    if (tooLarge != null) {
      return Future.failedFuture(tooLarge);
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> acked = Promise.promise();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            id ->
                acked.tryFail(
                    new IntegrationException(
                        GatewayError.KAFKA_UNAVAILABLE,
                        "the request event was not acknowledged by Kafka before the timeout")));
    Runnable send =
        () -> {
          try {
            producer.send(
                record,
                (metadata, error) ->
                    context.runOnContext(
                        v -> {
                          vertx.cancelTimer(timer);
                          if (error == null) {
                            acked.tryComplete();
                          } else {
                            acked.tryFail(sendFailure(error));
                          }
                        }));
          } catch (RuntimeException e) {
            context.runOnContext(v -> acked.tryFail(sendFailure(e)));
          }
        };
    try {
      sender.execute(send);
    } catch (RejectedExecutionException e) {
      acked.tryFail(new IntegrationException(GatewayError.KAFKA_UNAVAILABLE, "edge stopping"));
    }
    return acked.future();
  }

  /**
   * The largest record a request event may take ({@code PORTICO_KAFKA_MAX_MESSAGE_BYTES}): no body
   * larger than this can reach a function.
   */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** 413 for a record over the limit (checked before it is sent), else {@code null}. */
  private IntegrationException tooLarge(ProducerRecord<String, byte[]> record) {
    int size = RecordSizes.estimate(record);
    if (size <= maxRecordBytes) {
      return null;
    }
    return new IntegrationException(
        GatewayError.REQUEST_TOO_LARGE,
        "the request event needs a record of about "
            + size
            + " bytes; PORTICO_KAFKA_MAX_MESSAGE_BYTES is "
            + maxRecordBytes);
  }

  /**
   * Why a send failed: a record the broker finds too large for its topic ({@code max.message.bytes}
   * below {@code PORTICO_KAFKA_MAX_MESSAGE_BYTES}) is the request's size, 413; anything else is
   * Kafka being unavailable, 503.
   */
  private static IntegrationException sendFailure(Exception error) {
    return error instanceof RecordTooLargeException
        ? new IntegrationException(
            GatewayError.REQUEST_TOO_LARGE,
            "the topic refused the request event as too large (max.message.bytes): "
                + error.getMessage())
        : new IntegrationException(GatewayError.KAFKA_UNAVAILABLE, error.getMessage());
  }

  /**
   * The record of a request: a {@link FunctionEvent} to a function's topic, or a {@link
   * ConnectionCommand} to the WebSocket commands topic.
   */
  private static ProducerRecord<String, byte[]> requestRecord(
      String topic, Integer partition, String key, Object request, String correlationId) {
    ProducerRecord<String, byte[]> record;
    if (request instanceof FunctionEvent event) {
      record =
          Topics.FUNCTION_REQUESTS.named(topic).record(partition, null, key, event, correlationId);
    } else if (request instanceof ConnectionCommand command) {
      record = Topics.WS_COMMANDS.named(topic).record(partition, null, key, command, correlationId);
    } else {
      throw new IllegalArgumentException("Not a request of any topic: " + request.getClass());
    }
    ProtocolHeaders.put(record.headers(), ProtocolHeaders.CORRELATION_ID, correlationId);
    return record;
  }

  private void send(ProducerRecord<String, byte[]> record, String correlationId, Pending call) {
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              call.acknowledged = true;
            } else {
              fail(correlationId, sendFailure(error));
            }
          });
    } catch (RuntimeException e) {
      fail(correlationId, sendFailure(e));
    }
  }

  private void expire(String correlationId) {
    Pending waiting = pending.get(correlationId);
    if (waiting != null && waiting.acknowledged && waiting.onLateReply != null) {
      // Watched before it stops pending: a reply that no longer finds it pending finds it here.
      timedOut.watch(correlationId, waiting.onLateReply);
    }
    Pending call = pending.remove(correlationId);
    if (call == null) {
      timedOut.claim(correlationId); // answered meanwhile: not late
    } else {
      GatewayError error =
          call.acknowledged ? GatewayError.INTEGRATION_TIMEOUT : GatewayError.KAFKA_UNAVAILABLE;
      String detail =
          call.acknowledged
              ? "no response event before the timeout"
              : "the request event was not acknowledged by Kafka before the timeout";
      call.promise.tryFail(new IntegrationException(error, detail));
    }
  }

  private void fail(String correlationId, IntegrationException failure) {
    Pending call = pending.remove(correlationId);
    if (call != null) {
      call.context.runOnContext(
          v -> {
            vertx.cancelTimer(call.timerId);
            call.promise.tryFail(failure);
          });
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    String correlationId = ProtocolHeaders.get(record.headers(), ProtocolHeaders.CORRELATION_ID);
    Pending call = correlationId == null ? null : pending.remove(correlationId);
    if (call == null) {
      lateReplies.increment();
      Runnable onLateReply = correlationId == null ? null : timedOut.claim(correlationId);
      if (onLateReply != null) {
        onLateReply.run();
      }
      return;
    }
    FunctionResponse response;
    try {
      response = Topics.EDGE_REPLIES.decode(record.key(), record.value());
    } catch (RuntimeException e) {
      response = null;
    }
    FunctionResponse parsed = response;
    call.context.runOnContext(
        v -> {
          vertx.cancelTimer(call.timerId);
          if (parsed == null || !parsed.isWellFormed()) {
            malformedReplies.increment();
            call.promise.tryFail(
                new IntegrationException(
                    GatewayError.MALFORMED_INTEGRATION_RESPONSE, "malformed response event"));
          } else {
            call.promise.tryComplete(parsed);
          }
        });
  }

  /**
   * Sends {@code response} to a waiting edge's reply address (the {@code @connections} commands
   * this replica carries out for another one). Fire and forget: the waiter has its own timeout.
   */
  public void reply(ReplyAddress address, FunctionResponse response) {
    try {
      sender.execute(
          () -> {
            try {
              producer.send(address.reply(response));
            } catch (RuntimeException e) {
              LOG.warn("Reply {} not sent: {}", address.correlationId(), e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("Reply {} not sent: edge stopping", address.correlationId());
    }
  }

  /** Stops listening after in-flight requests had {@code grace} to finish; closes the clients. */
  @Override
  public void close() {
    listener.close();
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    producerMetrics.close();
    consumerMetrics.close();
  }
}
