package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.StreamRecord;
import dev.portico.contracts.Topics;
import dev.portico.customer.ChangeContext;
import dev.portico.customer.ChangeRecords;
import dev.portico.customer.StreamViewType;
import dev.portico.table.catalog.StreamArns;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A team table's change stream: one {@link StreamRecord} per effective change of an item, with its
 * keys and images in DynamoDB JSON, sent inside the command's transaction to the partition of the
 * changes topic that has the command's partition number (so shard = partition, and an item's
 * records are in order there). Sequence numbers come from the partition's counter, which the
 * customers table's stream shares.
 */
final class TableStream implements ItemChanges {
  private final TableDefinition table;
  private final StreamViewType view;
  private final String arn;
  private final ChangeContext context;
  private final int partition;
  private final BoundTopic<StreamRecord> topic;
  private final Consumer<ProducerRecord<String, byte[]>> send;
  private final StreamRecord.UserIdentity identity;

  private TableStream(
      TableDefinition table,
      ChangeContext context,
      int partition,
      BoundTopic<StreamRecord> topic,
      Consumer<ProducerRecord<String, byte[]>> send,
      StreamRecord.UserIdentity identity) {
    this.table = table;
    this.view = StreamViewType.valueOf(table.streamViewType());
    this.arn = StreamArns.arn(table);
    this.context = context;
    this.partition = partition;
    this.topic = topic;
    this.send = send;
    this.identity = identity;
  }

  /**
   * What writes {@code table}'s stream records for one command run in {@code partition}; nothing
   * when the table has no stream.
   */
  static ItemChanges of(
      TableDefinition table,
      ChangeContext context,
      int partition,
      String changesTopic,
      Consumer<ProducerRecord<String, byte[]>> send) {
    return of(table, context, partition, changesTopic, send, null);
  }

  /**
   * As {@link #of(TableDefinition, ChangeContext, int, String, Consumer)}, its records naming who
   * made the changes ({@code null}: a user's request).
   */
  static ItemChanges of(
      TableDefinition table,
      ChangeContext context,
      int partition,
      String changesTopic,
      Consumer<ProducerRecord<String, byte[]>> send,
      StreamRecord.UserIdentity identity) {
    if (table.streamViewType() == null) {
      return ItemChanges.NONE;
    }
    return new TableStream(
        table, context, partition, Topics.TABLE_CHANGES.named(changesTopic), send, identity);
  }

  @Override
  public void changed(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    StreamRecord record = record(before, after);
    PrimaryKey key = PrimaryKey.ofItem(table.key(), after != null ? after : before);
    send.accept(
        topic.record(partition, context.nowMillis(), recordKey(key), record, record.eventID()));
  }

  /** The record of one change (no Kafka): what the stream holds. */
  StreamRecord record(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    String eventName =
        before == null
            ? StreamRecord.INSERT
            : after == null ? StreamRecord.REMOVE : StreamRecord.MODIFY;
    Map<String, AttributeValue> item = after != null ? after : before;
    JsonNode keys = DynamoJson.write(PrimaryKey.ofItem(table.key(), item).attributes(table.key()));
    return ChangeRecords.of(
        eventName,
        keys,
        after == null ? null : DynamoJson.write(after),
        before == null ? null : DynamoJson.write(before),
        view,
        context,
        identity,
        ChangeRecords.TABLE_EVENT_SOURCE,
        arn);
  }

  /** As the command's key: the table, NUL, the base64 of the encoded partition key. */
  private String recordKey(PrimaryKey key) {
    return table.name()
        + '\u0000'
        + Base64.getEncoder().encodeToString(KeyEncoding.partitionPrefix(key.partition()));
  }

  /** For tests: a stream of {@code table} with its own context. */
  static TableStream forTest(TableDefinition table, ChangeContext context) {
    return new TableStream(table, context, 0, Topics.TABLE_CHANGES.in("test."), r -> {}, null);
  }
}
