package dev.portico.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fills the customers table fast for the recovery benchmark: put events straight to the commands
 * topic without a reply address (asynchronous invocations), then waits until customer-service has
 * committed past all of them.
 */
@Command(
    name = "kafka-fill",
    mixinStandardHelpOptions = true,
    description = "Put N items through the commands topic (no edge) and wait until applied.")
final class KafkaFillCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--application-id", defaultValue = "portico-customer-service")
  String applicationId;

  @Option(names = "--count", defaultValue = "1000000")
  int count;

  @Override
  public Integer call() throws Exception {
    String topic = kafka.commandsTopic();
    long start = System.nanoTime();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                kafka.bootstrap,
                "acks",
                "all",
                "linger.ms",
                5,
                "batch.size",
                262_144),
            new StringSerializer(),
            new StringSerializer())) {
      CustomerBodies bodies = CustomerBodies.forRun(count);
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(topic, bodies.id(i), KafkaOptions.putEvent(bodies.json(i))));
      }
      producer.flush();
    }
    double produced = (System.nanoTime() - start) / 1e9;
    System.out.printf("produced %d put events in %.1f s%n", count, produced);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap))) {
      String group = kafka.prefix + applicationId;
      while (lag(admin, topic, group) > 0) {
        Thread.sleep(1_000); // polling another process's progress; nothing to wait on but time
      }
    }
    double applied = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "scenario=kafka-fill items=%d applied_in=%.1fs rate=%.0f/s%n",
        count, applied, count / applied);
    return 0;
  }

  private static long lag(Admin admin, String topic, String group) throws Exception {
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    Map<TopicPartition, Long> ends =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get()
            .entrySet()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata done = committed.get(partition);
      lag += ends.get(partition) - (done == null ? 0 : done.offset());
    }
    return lag;
  }
}
