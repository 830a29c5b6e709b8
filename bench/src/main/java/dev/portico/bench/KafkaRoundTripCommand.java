package dev.portico.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The floor under the write path: the same put as {@code POST /prod/customer}, sent straight to the
 * commands topic as a request event and answered by customer-service's exactly-once transaction,
 * without HTTP or the edge. One request at a time, so each figure is a service time; or, with
 * {@code --rate}, open loop at that rate (to any function's {@code --topic}, e.g. the gateway
 * benchmark's echo function).
 */
@Command(
    name = "kafka-round-trip",
    mixinStandardHelpOptions = true,
    description =
        "Raw Kafka request/reply (no edge) through customer-service or --topic's function:"
            + " one at a time, or open loop with --rate.")
final class KafkaRoundTripCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--reply-partition",
      defaultValue = "1",
      description = "A reply partition no edge instance uses (default: ${DEFAULT-VALUE}).")
  int replyPartition;

  @Option(names = "--warmup-requests", defaultValue = "500")
  int warmup;

  @Option(names = "--requests", defaultValue = "2000")
  int requests;

  @Option(names = "--topic", description = "Request topic (default: the customers commands topic).")
  String topic;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Open loop at this many req/s; 0 = one at a time (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "Open loop: measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Open loop: unmeasured seconds first (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Override
  public Integer call() throws InterruptedException {
    String requestTopic = topic != null ? topic : kafka.commandsTopic();
    String replies = kafka.prefix + "edge.replies";
    // The edge's request producer settings: no linger, one request in flight (records that arrive
    // meanwhile batch into the next request), so the floor is the edge's path minus HTTP.
    var producerProps =
        Map.<String, Object>of(
            "bootstrap.servers",
            kafka.bootstrap,
            "acks",
            "all",
            "linger.ms",
            0,
            "max.in.flight.requests.per.connection",
            1);
    var consumerProps =
        Map.<String, Object>of(
            "bootstrap.servers", kafka.bootstrap, "isolation.level", "read_committed");
    try (var producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        var consumer =
            new KafkaConsumer<>(
                consumerProps, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(replies, replyPartition);
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      CustomerBodies bodies = CustomerBodies.forRun(rate);
      if (rate > 0) {
        producer.partitionsFor(requestTopic); // metadata now, not on the first scheduled send
        KafkaOpenLoop load =
            new KafkaOpenLoop(
                producer,
                consumer,
                n -> request(requestTopic, replies, bodies.id(n), bodies.json(n)));
        new Reporter(false)
            .print(load.run("kafka-round-trip", rate, warmupSeconds, durationSeconds));
        return 0;
      }
      LatencyRecorder recorder = new LatencyRecorder();
      long start = 0;
      for (int i = 0; i < warmup + requests; i++) {
        if (i == warmup) {
          start = System.nanoTime();
        }
        long sent = System.nanoTime();
        roundTrip(producer, consumer, request(requestTopic, replies, bodies.id(i), bodies.json(i)));
        long done = System.nanoTime();
        if (i >= warmup) {
          recorder.response(200, done - sent, done);
        }
      }
      long end = System.nanoTime();
      new Reporter(false)
          .print(recorder.result("kafka-round-trip", "sequential", 1, start, end, null));
    }
    return 0;
  }

  /** The request event for {@code item}, keyed and correlated by {@code id}. */
  private ProducerRecord<String, String> request(
      String requestTopic, String replies, String id, String item) {
    var record = new ProducerRecord<>(requestTopic, id, KafkaOptions.putEvent(item));
    header(record, "portico-correlation-id", id);
    header(record, "portico-reply-topic", replies);
    header(record, "portico-reply-partition", Integer.toString(replyPartition));
    return record;
  }

  private static void roundTrip(
      KafkaProducer<String, String> producer,
      KafkaConsumer<String, String> consumer,
      ProducerRecord<String, String> record) {
    String id = record.key();
    try {
      producer.send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("request not acknowledged: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> reply : consumer.poll(Duration.ofMillis(100))) {
        Header correlation = reply.headers().lastHeader("portico-correlation-id");
        if (correlation != null
            && id.equals(new String(correlation.value(), StandardCharsets.UTF_8))) {
          return;
        }
      }
    }
    throw new IllegalStateException("no reply to " + id + " within 30 s");
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
