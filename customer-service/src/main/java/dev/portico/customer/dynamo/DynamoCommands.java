package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.TableDefinitions;
import dev.portico.customer.state.TypedItems;
import dev.portico.kit.CompactedView;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.CreateTableRequest;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.catalog.TableDescription;
import dev.portico.table.catalog.TableNames;
import dev.portico.table.value.InvalidValueException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The DynamoDB API's commands in the table service (the edge turns each request into a command
 * whose route key is the {@code X-Amz-Target}, keyed so that it lands on the right partition):
 *
 * <ul>
 *   <li>CreateTable and DeleteTable run in the partition the table's name is keyed to, which keeps
 *       the definitions of its tables ({@link TableDefinitions}), so two of them never race; the
 *       change goes out on the catalog topic in the same transaction. DeleteTable also sends every
 *       partition a {@link #DROP_TABLE} command, which deletes that partition's items of the table;
 *       being ordered before any later command there, items of a table created again under the same
 *       name never meet the old ones.
 *   <li>Item operations and Query run in the partition their partition key is keyed to; a Scan
 *       command reads the one partition the edge sent it to.
 * </ul>
 */
public final class DynamoCommands {
  /** The route-key prefix of the DynamoDB API's commands: its X-Amz-Target prefix. */
  public static final String TARGET_PREFIX = "DynamoDB_20120810.";

  /** The command that deletes a deleted table's items in one partition (body: the table name). */
  public static final String DROP_TABLE = "portico.DropTable";

  /** The reserved name of the bundled table, served by the REST API. */
  public static final String BUNDLED_TABLE = "customers";

  /** How long a command for an unknown table waits for the catalog to be read to its end. */
  private static final Duration CATALOG_WAIT = Duration.ofSeconds(2);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CompactedView<TableDefinition> catalog;
  private final String catalogTopic;
  private final String commandsTopic;
  private final int partitions;

  public DynamoCommands(
      CompactedView<TableDefinition> catalog,
      String catalogTopic,
      String commandsTopic,
      int partitions) {
    this.catalog = catalog;
    this.catalogTopic = catalogTopic;
    this.commandsTopic = commandsTopic;
    this.partitions = partitions;
  }

  /** True for the route keys this class serves. */
  public static boolean serves(String routeKey) {
    return routeKey != null && (routeKey.startsWith(TARGET_PREFIX) || routeKey.equals(DROP_TABLE));
  }

  /**
   * Runs one command against {@code store}; records it produces besides the reply (catalog, drop
   * commands) go to {@code send}, in the loop's transaction.
   *
   * @return the reply, or {@code null} for a command nobody waits for
   */
  public FunctionResponse process(
      FunctionRequest request,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    if (request.routeKey().equals(DROP_TABLE)) {
      new TypedItems(store, request.body()).deleteAll();
      return null;
    }
    try {
      JsonNode body = body(request);
      String operation = request.routeKey().substring(TARGET_PREFIX.length());
      ObjectNode answer =
          switch (operation) {
            case "CreateTable" -> createTable(body, store, nowMillis, send);
            case "DeleteTable" -> deleteTable(body, store, send);
            default -> itemOperation(operation, body, store, nowMillis, send);
          };
      return DynamoReplies.ok(answer);
    } catch (DynamoException e) {
      return DynamoReplies.error(e);
    } catch (InvalidValueException e) {
      return DynamoReplies.error(new DynamoException(DynamoException.VALIDATION, e.getMessage()));
    }
  }

  private ObjectNode itemOperation(
      String operation,
      JsonNode body,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinition table = table(body);
    TypedItems items = new TypedItems(store, table.name());
    return switch (operation) {
      case "PutItem" ->
          ItemOperations.putItem(body, table, items, changes(table, store, nowMillis, send));
      case "GetItem" -> ItemOperations.getItem(body, table, items);
      case "UpdateItem" ->
          ItemOperations.updateItem(body, table, items, changes(table, store, nowMillis, send));
      case "DeleteItem" ->
          ItemOperations.deleteItem(body, table, items, changes(table, store, nowMillis, send));
      case "Query" -> ReadOperations.query(body, table, items);
      case "Scan" -> ReadOperations.scanPage(body, table, items);
      default ->
          throw new DynamoException(
              "UnknownOperationException", "The table service does not run " + operation);
    };
  }

  private ObjectNode createTable(
      JsonNode body,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinition table = CreateTableRequest.read(body, nowMillis);
    TableDefinitions definitions = new TableDefinitions(store);
    if (table.name().equals(BUNDLED_TABLE) || definitions.get(table.name()) != null) {
      throw new DynamoException(DynamoException.IN_USE, "Table already exists: " + table.name());
    }
    definitions.put(table);
    send.accept(new ProducerRecord<>(catalogTopic, 0, table.name(), table.toJson()));
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("TableDescription", TableDescription.of(table, "ACTIVE"));
    return answer;
  }

  private ObjectNode deleteTable(
      JsonNode body, PartitionStore store, Consumer<ProducerRecord<String, byte[]>> send) {
    String name = TableNames.check(Requests.text(body, "TableName"), "tableName");
    TableDefinitions definitions = new TableDefinitions(store);
    TableDefinition table = definitions.get(name);
    if (table == null) {
      throw DynamoException.tableNotFound(name);
    }
    definitions.delete(name);
    send.accept(new ProducerRecord<>(catalogTopic, 0, name, null));
    for (int partition = 0; partition < partitions; partition++) {
      send.accept(new ProducerRecord<>(commandsTopic, partition, name, Json.toBytes(drop(name))));
    }
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("TableDescription", TableDescription.of(table, "DELETING"));
    return answer;
  }

  /** Who is told of a write's change: the table's indexes and its stream. */
  private ItemChanges changes(
      TableDefinition table,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    return ItemChanges.NONE;
  }

  /** The command that deletes {@code table}'s items in the partition it is sent to. */
  private static FunctionRequest drop(String table) {
    return new FunctionRequest(
        FunctionRequest.VERSION,
        DROP_TABLE,
        null,
        null,
        null,
        null,
        null,
        null,
        table,
        false,
        null);
  }

  private TableDefinition table(JsonNode body) {
    String name = TableNames.check(Requests.text(body, "TableName"), "tableName");
    return catalog
        .getFresh(name, CATALOG_WAIT)
        .orElseThrow(() -> DynamoException.tableNotFound(name));
  }

  private static JsonNode body(FunctionRequest request) {
    try {
      JsonNode body = request.body() == null ? null : MAPPER.readTree(request.body());
      if (body == null || !body.isObject()) {
        throw new DynamoException(
            "SerializationException", "The request body is not a JSON object");
      }
      return body;
    } catch (IOException e) {
      throw new DynamoException("SerializationException", "The request body is not valid JSON");
    }
  }
}
