package dev.portico.edge.dynamo;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.value.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a table's commands go on the commands topic: an item's (and a Query's) by table and
 * partition key, so that every item of a partition key lives in one partition, in sort-key order; a
 * CreateTable or DeleteTable by the table's name, so that those of one name run one after another.
 */
final class TableRouting {
  private TableRouting() {}

  /** The record key of a command on the item(s) of {@code partitionKey}. */
  static String itemKey(String table, AttributeValue partitionKey) {
    return table
        + '\u0000'
        + Base64.getEncoder().encodeToString(KeyEncoding.partitionPrefix(partitionKey));
  }

  /** The partition Kafka's default partitioner gives {@code key}. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
