package dev.portico.stream;

import dev.portico.table.catalog.BundledTable;
import dev.portico.table.catalog.StreamArns;
import dev.portico.table.catalog.TableDefinition;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One stream the reading API serves: the topic its shards are the partitions of, the identity its
 * iterators are signed for, which records of a partition are its own, and how many records of a
 * partition one page may look at.
 *
 * @param name the table, as in {@code /streams/{name}/...}
 * @param topic the changes topic (with its prefix)
 * @param identity what iterators are signed for: {@code customers}, or a team table's stream ARN
 * @param wanted the records of the partition that belong to this stream
 * @param budget at most this many records of a partition (this stream's or not) per page
 */
record StreamSource(
    String name,
    String topic,
    String identity,
    Predicate<ConsumerRecord<String, byte[]>> wanted,
    int budget) {
  static final String CUSTOMERS = BundledTable.NAME;

  /**
   * Records of a team table's partition looked at for one page, as the edge's GetRecords does: a
   * page of a quiet table on a busy partition may come back empty with an iterator that moved on.
   */
  static final int TEAM_TABLE_BUDGET = 10_000;

  /** The bundled customers table's stream: every record of its own topic. */
  static StreamSource customers(String topic) {
    return new StreamSource(CUSTOMERS, topic, CUSTOMERS, r -> true, Integer.MAX_VALUE);
  }

  /**
   * A team table's stream (the table has one): the records of {@code topic} keyed with its name and
   * naming its stream ARN, so records of an earlier table of the same name are not its own.
   */
  static StreamSource teamTable(String topic, TableDefinition table) {
    String arn = StreamArns.arn(table);
    return new StreamSource(
        table.name(),
        topic,
        arn,
        r ->
            table.name().equals(TeamTableChanges.table(r.key()))
                && arn.equals(TeamTableChanges.sourceArn(r.value())),
        TEAM_TABLE_BUDGET);
  }
}
