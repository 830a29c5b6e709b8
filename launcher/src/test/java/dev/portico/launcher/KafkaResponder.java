package dev.portico.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.ReplyAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A function on plain Kafka clients, for tests that decide exactly what a function answers (a
 * malformed reply, a late one) without an SDK in the way: it reads request events from its topics
 * and hands each one that wants a reply to {@link Answer}, which replies through {@link #send} or
 * {@link #sendAfter}. Events published without a reply address ("tell") are skipped.
 */
final class KafkaResponder implements AutoCloseable {
  /** What the function does with one request event. */
  @FunctionalInterface
  interface Answer {
    void answer(ReplyAddress address, JsonNode event, KafkaResponder function);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private final Answer answer;
  private final Thread thread;

  KafkaResponder(String bootstrap, List<String> topics, String name, Answer answer) {
    this.answer = answer;
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "fn-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "linger.ms", 0),
            new StringSerializer(),
            new ByteArraySerializer());
    consumer.subscribe(topics);
    thread = new Thread(this::serve, name);
    thread.start();
  }

  void send(ProducerRecord<String, byte[]> reply) {
    producer.send(reply);
  }

  /** Sends {@code reply} {@code millis} from now, off the polling thread. */
  void sendAfter(long millis, ProducerRecord<String, byte[]> reply) {
    later.schedule(() -> producer.send(reply), millis, TimeUnit.MILLISECONDS);
  }

  private void serve() {
    try {
      while (true) {
        for (ConsumerRecord<String, byte[]> request : consumer.poll(Duration.ofMillis(100))) {
          ReplyAddress address = ReplyAddress.from(request.headers()).orElse(null);
          if (address != null) {
            answer.answer(address, read(request.value()), this);
          }
        }
      }
    } catch (WakeupException stopping) {
      // close() woke us
    } finally {
      consumer.close();
    }
  }

  private static JsonNode read(byte[] event) {
    try {
      return Json.MAPPER.readTree(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
    later.shutdownNow();
    producer.close();
  }
}
