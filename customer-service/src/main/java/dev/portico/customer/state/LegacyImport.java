package dev.portico.customer.state;

import dev.portico.kit.Replay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a table kept by an older Portico, whose customer-service was a Kafka Streams application
 * with four changelogs ({@code <application id>-customers[-ttl|-receipts|-sequences]-changelog}),
 * to the changelog of the table service: on a partition's first assignment, when the new changelog
 * partition is still empty, the old changelogs' partition is read and written into it in one
 * transaction. Values keep their format; only keys change. Stop every old replica first: the two
 * versions cannot share the group.
 */
public final class LegacyImport {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyImport.class);

  private final Consumer<String, byte[]> consumer;
  private final Supplier<Producer<String, byte[]>> producer;
  private final String changelogTopic;
  private final String legacyPrefix;
  private final String table;
  private Map<String, List<PartitionInfo>> legacyTopics;

  /**
   * @param consumer read_committed, no group (shared with the restorer: both run on the loop
   *     thread)
   * @param producer the loop's current transactional producer (no transaction is open during a
   *     rebalance; the loop may have renewed it)
   * @param legacyPrefix {@code <topic prefix><application id>}, e.g. {@code
   *     portico.portico-customer-service}
   */
  public LegacyImport(
      Consumer<String, byte[]> consumer,
      Supplier<Producer<String, byte[]>> producer,
      String changelogTopic,
      String legacyPrefix,
      String table) {
    this.consumer = consumer;
    this.producer = producer;
    this.changelogTopic = changelogTopic;
    this.legacyPrefix = legacyPrefix;
    this.table = table;
  }

  /** Imports each of {@code partitions} whose new changelog partition is still empty. */
  void importIfNeeded(List<Integer> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    if (legacyTopics == null) {
      legacyTopics = consumer.listTopics(Duration.ofSeconds(30));
    }
    if (!legacyTopics.containsKey(legacyPrefix + "-customers-changelog")) {
      return; // no table of an earlier version here: the common case, decided once
    }
    List<TopicPartition> targets =
        partitions.stream().map(p -> new TopicPartition(changelogTopic, p)).toList();
    Map<TopicPartition, Long> ends = consumer.endOffsets(targets);
    for (TopicPartition target : targets) {
      if (ends.get(target) == 0) { // the table service has not written this partition yet
        importPartition(target.partition());
      }
    }
  }

  private void importPartition(int partition) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    read("customers", partition, key -> StateKeys.item(table, key), v -> v, records);
    read("customers-ttl", partition, key -> StateKeys.ttl(table, key), v -> v, records);
    read("customers-receipts", partition, key -> StateKeys.receipt(table, key), v -> v, records);
    read(
        "customers-sequences",
        partition,
        key -> StateKeys.SEQUENCE,
        v ->
            v == null
                ? null
                : Long.toString(ByteBuffer.wrap(v).getLong()).getBytes(StandardCharsets.UTF_8),
        records);
    if (records.isEmpty()) {
      return;
    }
    Producer<String, byte[]> current = producer.get();
    current.beginTransaction();
    records.forEach(current::send);
    current.commitTransaction();
    LOG.info(
        "Partition {}: {} records imported from the Kafka Streams changelogs of {}",
        partition,
        records.size(),
        legacyPrefix);
  }

  private void read(
      String store,
      int partition,
      Function<String, String> key,
      Function<byte[], byte[]> value,
      List<ProducerRecord<String, byte[]>> into) {
    String topic = legacyPrefix + "-" + store + "-changelog";
    List<PartitionInfo> partitions = legacyTopics.get(topic);
    if (partitions == null || partitions.size() <= partition) {
      return;
    }
    Replay.fromBeginning(
        consumer,
        List.of(new TopicPartition(topic, partition)),
        batch -> {
          for (ConsumerRecord<String, byte[]> r : batch) {
            into.add(
                new ProducerRecord<>(
                    changelogTopic, partition, key.apply(r.key()), value.apply(r.value())));
          }
        });
  }
}
