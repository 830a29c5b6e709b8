package dev.portico.function;

import static org.awaitility.Awaitility.await;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The edge's side of the protocol, for tests: fresh topics (function topic, reply topic, a topic
 * for the handler's own records), request events with the edge's headers, and read_committed
 * readers of replies and handler records, as the edge reads replies.
 */
final class TestEdge implements AutoCloseable {
  static final int PARTITIONS = 2;

  /** Replies go to partition 1 of 2: a reply on partition 0 would be one the edge never reads. */
  static final int REPLY_PARTITION = 1;

  final String bootstrap;
  final String functionTopic;
  final String replyTopic;
  final String auditTopic;
  private final KafkaProducer<String, byte[]> producer;
  private final Reader replies;
  private final Reader audit;

  TestEdge(TestKafka kafka) {
    bootstrap = kafka.bootstrapServers();
    String prefix = kafka.freshPrefix();
    functionTopic = prefix + "fn";
    replyTopic = prefix + "replies";
    auditTopic = prefix + "audit";
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(functionTopic, replyTopic, auditTopic).stream()
                  .map(name -> new NewTopic(name, PARTITIONS, (short) 1))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer());
    replies = new Reader(replyTopic);
    audit = new Reader(auditTopic);
  }

  PorticoFunction.Builder function(String groupId, FunctionHandler handler) {
    return PorticoFunction.builder()
        .bootstrapServers(bootstrap)
        .topic(functionTopic)
        .groupId(groupId)
        .handler(handler);
  }

  /** A synchronous request for {@code name}, keyed by it; its correlation id is {@code name}. */
  void request(String name) {
    send(
        name,
        Events.requestBytes(name),
        Events.headers(name, replyTopic, REPLY_PARTITION, System.currentTimeMillis() + 60_000));
  }

  void send(String key, byte[] value, Headers headers) {
    try {
      producer
          .send(new ProducerRecord<>(functionTopic, null, key, value, headers))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every committed reply so far, once at least {@code count} have arrived. */
  List<ConsumerRecord<String, byte[]>> awaitReplies(int count) {
    return replies.atLeast(count);
  }

  List<ConsumerRecord<String, byte[]>> awaitAudit(int count) {
    return audit.atLeast(count);
  }

  /** Every committed reply in the topic, read to its end. */
  List<ConsumerRecord<String, byte[]>> allReplies() {
    return replies.toEnd();
  }

  List<ConsumerRecord<String, byte[]>> allAudit() {
    return audit.toEnd();
  }

  static String correlationId(ConsumerRecord<String, byte[]> reply) {
    return ProtocolHeaders.get(reply.headers(), ProtocolHeaders.CORRELATION_ID);
  }

  static FunctionResponse response(ConsumerRecord<String, byte[]> reply) {
    return Json.fromBytes(reply.value(), FunctionResponse.class);
  }

  /** Correlation id -> status code; fails on a correlation id answered twice. */
  static Map<String, Integer> statuses(List<ConsumerRecord<String, byte[]>> replies) {
    Map<String, Integer> statuses = new HashMap<>();
    for (ConsumerRecord<String, byte[]> reply : replies) {
      Integer before = statuses.put(correlationId(reply), response(reply).statusCode());
      if (before != null) {
        throw new AssertionError("answered twice: " + correlationId(reply));
      }
    }
    return statuses;
  }

  @Override
  public void close() {
    producer.close();
    replies.close();
    audit.close();
  }

  /** A read_committed reader of every partition of a topic, from the beginning. */
  private final class Reader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    Reader(String topic) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed"),
              new StringDeserializer(),
              new ByteArrayDeserializer());
      partitions =
          IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    List<ConsumerRecord<String, byte[]>> atLeast(int count) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
                return seen.size() >= count;
              });
      return List.copyOf(seen);
    }

    /** Reads up to the last stable offset: everything committed, nothing still open. */
    List<ConsumerRecord<String, byte[]>> toEnd() {
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
              });
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
