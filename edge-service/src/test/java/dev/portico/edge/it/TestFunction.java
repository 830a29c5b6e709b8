package dev.portico.edge.it;

import dev.portico.contracts.ProtocolHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
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
 * A function for tests, on plain Kafka clients: answers each request event on its topics with
 * whatever bytes {@code answer} returns (so a test can also answer garbage), and remembers every
 * request it saw.
 */
final class TestFunction implements AutoCloseable {
  final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private volatile boolean running = true;

  TestFunction(
      String bootstrap,
      List<String> topics,
      Function<ConsumerRecord<String, byte[]>, byte[]> answer) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-fn-" + UUID.randomUUID(),
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
    thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  for (var record : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(record);
                    String topic =
                        ProtocolHeaders.get(record.headers(), ProtocolHeaders.REPLY_TOPIC);
                    if (topic == null) {
                      continue; // async: nobody waits
                    }
                    int partition =
                        Integer.parseInt(
                            ProtocolHeaders.get(record.headers(), ProtocolHeaders.REPLY_PARTITION));
                    var reply =
                        new ProducerRecord<>(topic, partition, (String) null, answer.apply(record));
                    ProtocolHeaders.put(
                        reply.headers(),
                        ProtocolHeaders.CORRELATION_ID,
                        ProtocolHeaders.get(record.headers(), ProtocolHeaders.CORRELATION_ID));
                    producer.send(reply);
                  }
                }
              } catch (WakeupException stopping) {
                // close() woke us
              } finally {
                consumer.close();
              }
            },
            "test-function");
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    producer.close();
  }
}
