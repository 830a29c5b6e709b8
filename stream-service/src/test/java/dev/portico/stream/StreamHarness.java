package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.StreamRecord;
import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.FreePorts;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * One stream-service on its own topic prefix (2 partitions) and port, with a clock the test moves,
 * an HTTP client for its API, and a transactional producer that writes change records as
 * customer-service does: per partition, sequence numbers increase with gaps (a command's first
 * record takes {@code commandOffset * 10,000}), each batch in one transaction.
 */
final class StreamHarness implements AutoCloseable {
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final MutableClock clock = new MutableClock();
  final String prefix;
  final String topic;
  private final TestKafka kafka;
  private final Vertx vertx = Vertx.vertx();
  private final int port = FreePorts.next();
  private final KafkaProducer<String, byte[]> producer;
  private final long[] nextSequence = new long[2];
  private final Map<String, String> env = new HashMap<>();
  private StreamService service;

  StreamHarness(TestKafka kafka) {
    this.kafka = kafka;
    this.prefix = kafka.freshPrefix();
    this.topic = prefix + Topics.CUSTOMER_CHANGES.suffix();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_TOPIC_PARTITIONS", "2");
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_STREAM_PORT", Integer.toString(port));
    start();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-changes-" + UUID.randomUUID());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    for (int i = 0; i < nextSequence.length; i++) {
      nextSequence[i] = 10_000L * (i + 1); // the shards' numbers overlap, as real ones do
    }
  }

  /** Starts the service and waits until it is ready (its trigger processor holds partitions). */
  void start() {
    service = new StreamService(vertx, StreamConfig.read(new ConfigReader(env)), clock);
    try {
      service.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("stream-service did not start", e);
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(service::isReady);
  }

  /** Stops the service; {@link #start()} starts a new one on the same topics and group. */
  void stopService() {
    try {
      service.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes one committed change record (the full StreamRecord JSON) to a partition. */
  void commitRaw(int partition, String key, byte[] value) {
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, partition, key, value));
    producer.commitTransaction();
  }

  /** Writes one committed record to any topic of this harness's prefix (e.g. alarm changes). */
  void commitTo(Topic<?> registryTopic, int partition, String key, byte[] value) {
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(prefix + registryTopic.suffix(), partition, key, value));
    producer.commitTransaction();
  }

  /** Writes records (key to value, in the map's order) to a partition in one transaction. */
  void commitAllTo(Topic<?> registryTopic, int partition, Map<String, byte[]> records) {
    producer.beginTransaction();
    records.forEach(
        (key, value) ->
            producer.send(
                new ProducerRecord<>(prefix + registryTopic.suffix(), partition, key, value)));
    producer.commitTransaction();
  }

  /** The next sequence number of a partition, advancing it (as a new command would). */
  String nextSequence(int partition) {
    long seq = nextSequence[partition];
    nextSequence[partition] += 10_000;
    return String.format("%021d", seq);
  }

  /** A plain-text GET (e.g. /metrics). */
  String getText(String path) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply put(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  TestKafka kafka() {
    return kafka;
  }

  /** Writes {@code count} INSERTs to {@code partition} in one committed transaction. */
  List<StreamRecord> commit(int partition, int count) {
    return write(partition, count, 0, true);
  }

  /** Writes a transaction and aborts it: a reader must never see these records. */
  void abort(int partition, int count) {
    write(partition, count, 0, false);
  }

  /** Writes records whose images carry {@code padding} extra bytes each. */
  List<StreamRecord> commitLarge(int partition, int count, int padding) {
    return write(partition, count, padding, true);
  }

  private List<StreamRecord> write(int partition, int count, int padding, boolean commit) {
    List<StreamRecord> written = new ArrayList<>();
    producer.beginTransaction();
    for (int i = 0; i < count; i++) {
      // Gaps as in customer-service: mostly a new command (jump), sometimes a second record of
      // the same command (next number).
      long seq = nextSequence[partition];
      nextSequence[partition] += (i % 3 == 0) ? 1 : 7 * 10_000;
      StreamRecord record = record(partition, seq, padding);
      var headers = new RecordHeaders();
      ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, record.eventID());
      producer.send(
          new ProducerRecord<>(
              topic,
              partition,
              record.dynamodb().keys().get("customer_id").asText(),
              Json.toBytes(record),
              headers));
      written.add(record);
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.flush();
      producer.abortTransaction();
    }
    return written;
  }

  private static StreamRecord record(int partition, long seq, int padding) {
    String sequenceNumber = String.format("%021d", seq);
    String key = "c" + partition + "-" + seq;
    ObjectNode image = Json.MAPPER.createObjectNode().put("customer_id", key);
    if (padding > 0) {
      image.put("padding", "x".repeat(padding));
    }
    return new StreamRecord(
        UUID.nameUUIDFromBytes(("customers/" + partition + "/" + sequenceNumber).getBytes())
            .toString(),
        StreamRecord.INSERT,
        StreamRecord.EVENT_VERSION,
        "portico:customer-service",
        new StreamRecord.Change(
            System.currentTimeMillis() / 1000,
            Json.MAPPER.createObjectNode().put("customer_id", key),
            image,
            null,
            sequenceNumber,
            100,
            "NEW_AND_OLD_IMAGES"),
        null);
  }

  // --- HTTP

  record Reply(int status, JsonNode body, String errorType) {
    String message() {
      return body.path("message").asText();
    }
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Reply post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body;
      try {
        body =
            response.body().length == 0
                ? Json.MAPPER.nullNode()
                : Json.MAPPER.readTree(response.body());
      } catch (IOException notJson) {
        body = Json.MAPPER.getNodeFactory().textNode(new String(response.body()));
      }
      return new Reply(
          response.statusCode(),
          body,
          response.headers().firstValue("x-portico-error-type").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An iterator, asserting success. */
  String iterator(int partition, String type, String sequenceNumber) {
    Reply reply =
        post("/streams/customers/iterators", iteratorBody(partition, type, sequenceNumber));
    if (reply.status() != 200) {
      throw new AssertionError("iterator: " + reply.status() + " " + reply.body());
    }
    return reply.body().get("shardIterator").asText();
  }

  static String iteratorBody(int partition, String type, String sequenceNumber) {
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("shardId", StreamReader.shardId(partition))
            .put("type", type);
    if (sequenceNumber != null) {
      body.put("sequenceNumber", sequenceNumber);
    }
    return body.toString();
  }

  /** One page, asserting success. */
  Reply page(String iterator, Integer limit) {
    Reply reply =
        get(
            "/streams/customers/records?iterator="
                + iterator
                + (limit == null ? "" : "&limit=" + limit));
    if (reply.status() != 200) {
      throw new AssertionError("records: " + reply.status() + " " + reply.body());
    }
    return reply;
  }

  /**
   * Pages from {@code iterator} until a page comes back empty; returns the records and leaves the
   * last next iterator in {@code last[0]}.
   */
  /**
   * Like {@link #drain} but keeps reading until at least {@code count} records came: records
   * committed a moment ago become visible to read_committed readers once their transaction markers
   * land, which can take a few milliseconds after the commit returns.
   */
  List<JsonNode> drainAtLeast(String iterator, int limit, String[] last, int count) {
    List<JsonNode> records = new ArrayList<>();
    String at = iterator;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (records.size() < count && System.nanoTime() < deadline) {
      String[] next = new String[1];
      records.addAll(drain(at, limit, next));
      at = next[0];
    }
    if (last != null) {
      last[0] = at;
    }
    return records;
  }

  List<JsonNode> drain(String iterator, int limit, String[] last) {
    List<JsonNode> records = new ArrayList<>();
    String at = iterator;
    while (true) {
      Reply reply = page(at, limit);
      at = reply.body().get("nextShardIterator").asText();
      JsonNode page = reply.body().get("records");
      if (page.size() > limit) {
        throw new AssertionError("page of " + page.size() + " over the limit " + limit);
      }
      if (page.isEmpty()) {
        break;
      }
      page.forEach(records::add);
    }
    if (last != null) {
      last[0] = at;
    }
    return records;
  }

  @Override
  public void close() {
    producer.close();
    stopService();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
