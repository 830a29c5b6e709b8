package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.Json;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.TableDefinitions;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.BundledTable;
import dev.portico.table.catalog.CreateTableRequest;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.catalog.TableDescription;
import dev.portico.table.catalog.TableNames;
import dev.portico.table.catalog.TimeToLiveRequest;
import dev.portico.table.catalog.UpdateTableRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * CreateTable, UpdateTable, DeleteTable, UpdateTimeToLive and DescribeTimeToLive, in the partition
 * the table's name is keyed to, which keeps the definitions of its tables ({@link
 * TableDefinitions}), so two of them never race. Each change goes out on the catalog topic in the
 * same transaction, with the commands it needs every partition to run: {@link #DROP_TABLE} (a
 * deleted table's items and entries), {@link #BACKFILL} (a new index's entries for the items a
 * partition has), {@link #DROP_INDEX}, {@link #TTL_BACKFILL} and {@link #TTL_DROP} (a table's TTL
 * index), {@link #CATALOG_SYNC} (a stream enabled or disabled: read the catalog). Ordered before
 * any later command in each partition, they never meet a newer table or index of the same name.
 */
final class CatalogCommands {
  static final String DROP_TABLE = "portico.DropTable";
  static final String DROP_INDEX = "portico.DropIndex";
  static final String BACKFILL = "portico.Backfill";
  static final String TTL_BACKFILL = "portico.TtlBackfill";
  static final String TTL_DROP = "portico.TtlDrop";
  static final String CATALOG_SYNC = "portico.CatalogSync";

  private final String catalogTopic;
  private final String commandsTopic;
  private final int partitions;

  CatalogCommands(String catalogTopic, String commandsTopic, int partitions) {
    this.catalogTopic = catalogTopic;
    this.commandsTopic = commandsTopic;
    this.partitions = partitions;
  }

  ObjectNode createTable(
      JsonNode body,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinition table = CreateTableRequest.read(body, nowMillis);
    TableDefinitions definitions = new TableDefinitions(store);
    if (BundledTable.is(table.name()) || definitions.get(table.name()) != null) {
      throw new DynamoException(DynamoException.IN_USE, "Table already exists: " + table.name());
    }
    publish(table, definitions, send);
    return described("TableDescription", table, "ACTIVE");
  }

  ObjectNode updateTable(
      JsonNode body,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinitions definitions = new TableDefinitions(store);
    TableDefinition table = existing(body, definitions);
    UpdateTableRequest update = UpdateTableRequest.read(body, table);
    List<IndexDefinition> indexes = new ArrayList<>(table.indexes());
    if (update.create() != null) {
      indexes.add(update.create());
    }
    if (update.delete() != null) {
      indexes.removeIf(i -> i.name().equals(update.delete()));
    }
    TableDefinition updated = update.applyStream(table.withIndexes(indexes), nowMillis);
    publish(updated, definitions, send);
    if (update.stream() != null) {
      everyPartition(CATALOG_SYNC, indexCommand(table, ""), send);
    }
    if (update.create() != null) {
      everyPartition(BACKFILL, indexCommand(table, update.create().name()), send);
    }
    if (update.delete() != null) {
      everyPartition(DROP_INDEX, indexCommand(table, update.delete()), send);
    }
    return described("TableDescription", updated, "ACTIVE");
  }

  /**
   * Enables or disables TTL on a table: its definition names the attribute, and every partition
   * builds (or drops) the table's TTL index for the items it has.
   */
  ObjectNode updateTimeToLive(
      JsonNode body, PartitionStore store, Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinitions definitions = new TableDefinitions(store);
    TimeToLiveRequest request = TimeToLiveRequest.read(body);
    refuseBundledTtl(body);
    TableDefinition table = existing(body, definitions);
    TableDefinition updated = request.applyTo(table);
    publish(updated, definitions, send);
    ObjectNode command =
        JsonNodeFactory.instance
            .objectNode()
            .put("table", table.name())
            .put("createdAt", table.createdAtMillis())
            .put("attribute", request.attributeName());
    everyPartition(request.enabled() ? TTL_BACKFILL : TTL_DROP, command.toString(), send);
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer
        .putObject("TimeToLiveSpecification")
        .put("Enabled", request.enabled())
        .put("AttributeName", request.attributeName());
    return answer;
  }

  /** A table's TTL, from its definition here (never a lagging view). */
  ObjectNode describeTimeToLive(JsonNode body, PartitionStore store) {
    refuseBundledTtl(body);
    TableDefinition table = existing(body, new TableDefinitions(store));
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    ObjectNode description = answer.putObject("TimeToLiveDescription");
    if (table.ttlAttribute() == null) {
      description.put("TimeToLiveStatus", "DISABLED");
    } else {
      description.put("TimeToLiveStatus", "ENABLED").put("AttributeName", table.ttlAttribute());
    }
    return answer;
  }

  ObjectNode deleteTable(
      JsonNode body, PartitionStore store, Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinitions definitions = new TableDefinitions(store);
    TableDefinition table = existing(body, definitions);
    definitions.delete(table.name());
    send.accept(new ProducerRecord<>(catalogTopic, 0, table.name(), null));
    everyPartition(DROP_TABLE, table.name(), send);
    return described("TableDescription", table, "DELETING");
  }

  /** The bundled table's TTL is the suite's configuration, not the DynamoDB API's to change. */
  private static void refuseBundledTtl(JsonNode body) {
    if (BundledTable.is(Requests.text(body, "TableName"))) {
      throw new DynamoException(
          DynamoException.VALIDATION,
          "The bundled table "
              + BundledTable.NAME
              + " takes its TTL attribute from PORTICO_CUSTOMER_TTL_ATTRIBUTE");
    }
  }

  private static TableDefinition existing(JsonNode body, TableDefinitions definitions) {
    String name = TableNames.check(Requests.text(body, "TableName"), "tableName");
    if (BundledTable.is(name)) {
      throw new DynamoException(
          DynamoException.VALIDATION,
          "The bundled table " + name + " cannot be updated or deleted (its key is fixed)");
    }
    TableDefinition table = definitions.get(name);
    if (table == null) {
      throw DynamoException.tableNotFound(name);
    }
    return table;
  }

  private void publish(
      TableDefinition table,
      TableDefinitions definitions,
      Consumer<ProducerRecord<String, byte[]>> send) {
    definitions.put(table);
    send.accept(new ProducerRecord<>(catalogTopic, 0, table.name(), table.toJson()));
  }

  private static String indexCommand(TableDefinition table, String index) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("table", table.name())
        .put("createdAt", table.createdAtMillis())
        .put("index", index)
        .toString();
  }

  private void everyPartition(
      String routeKey, String body, Consumer<ProducerRecord<String, byte[]>> send) {
    FunctionRequest command = FunctionRequest.command(routeKey, body);
    for (int partition = 0; partition < partitions; partition++) {
      send.accept(new ProducerRecord<>(commandsTopic, partition, routeKey, Json.toBytes(command)));
    }
  }

  static ObjectNode described(String member, TableDefinition table, String status) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.set(member, TableDescription.of(table, status));
    return answer;
  }
}
