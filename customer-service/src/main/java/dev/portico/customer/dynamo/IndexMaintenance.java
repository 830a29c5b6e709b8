package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.Json;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Keeps a table's global secondary indexes: an item's change becomes {@link #INDEX_WRITE} commands
 * (delete the old entry, put the new one) sent, in the write's transaction, to the partitions that
 * keep the entries' index keys. They apply there a moment later: indexes are eventually consistent,
 * as in DynamoDB, and exactly once, as every command.
 */
final class IndexMaintenance implements ItemChanges {
  /** The command that puts or deletes one index entry. */
  static final String INDEX_WRITE = "portico.IndexWrite";

  private static final HexFormat HEX = HexFormat.of();

  private final TableDefinition table;
  private final List<IndexDefinition> indexes;
  private final String commandsTopic;
  private final Consumer<ProducerRecord<String, byte[]>> send;

  IndexMaintenance(
      TableDefinition table,
      List<IndexDefinition> indexes,
      String commandsTopic,
      Consumer<ProducerRecord<String, byte[]>> send) {
    this.table = table;
    this.indexes = indexes;
    this.commandsTopic = commandsTopic;
    this.send = send;
  }

  @Override
  public void changed(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    for (IndexDefinition index : indexes) {
      boolean wasIn = before != null && index.covers(before);
      boolean isIn = after != null && index.covers(after);
      byte[] oldKey = wasIn ? IndexEntries.entryKey(index, table.key(), before) : null;
      byte[] newKey = isIn ? IndexEntries.entryKey(index, table.key(), after) : null;
      boolean sameKey = wasIn && isIn && Arrays.equals(oldKey, newKey);
      if (wasIn && !sameKey) {
        write(index, before.get(index.key().partitionKey()), oldKey, null);
      }
      if (isIn) {
        Map<String, AttributeValue> entry = index.project(after, table.key());
        if (!sameKey || !entry.equals(index.project(before, table.key()))) {
          write(index, after.get(index.key().partitionKey()), newKey, entry);
        }
      }
    }
  }

  private void write(
      IndexDefinition index,
      AttributeValue partitionKey,
      byte[] entryKey,
      Map<String, AttributeValue> entry) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("table", table.name());
    body.put("createdAt", table.createdAtMillis());
    body.put("index", index.name());
    body.put("key", HEX.formatHex(entryKey));
    if (entry != null) {
      body.set("item", DynamoJson.write(entry));
    }
    FunctionRequest command = FunctionRequest.command(INDEX_WRITE, body.toString());
    send.accept(
        new ProducerRecord<>(
            commandsTopic,
            null,
            IndexEntries.commandKey(table.name(), index.name(), partitionKey),
            Json.toBytes(command)));
  }
}
