package dev.portico.edge.dynamo;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a command goes to: the one Kafka's default partitioner gives its record key ({@link
 * dev.portico.table.catalog.IndexEntries#commandKey}), as the table service's own records find it.
 */
final class TableRouting {
  private TableRouting() {}

  /** The partition Kafka's default partitioner gives {@code key}. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
