package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.StreamRecord;
import dev.portico.customer.PartitionChanges;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.TableExpiries;
import dev.portico.customer.state.TableItems;
import dev.portico.customer.state.TypedItems;
import dev.portico.kit.CompactedView;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.BundledTable;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.catalog.TableNames;
import dev.portico.table.value.InvalidValueException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The DynamoDB API's commands in the table service (the edge turns each request into a command
 * whose route key is the {@code X-Amz-Target}, keyed so that it lands on the right partition), and
 * the commands the table service sends itself to keep tables and indexes:
 *
 * <ul>
 *   <li>CreateTable, UpdateTable, DeleteTable, UpdateTimeToLive, DescribeTimeToLive: {@link
 *       CatalogCommands}, in the name's partition;
 *   <li>item operations and Query: in the partition their partition key (an index Query: the index
 *       key) is keyed to; a Scan command reads the one partition the edge sent it to;
 *   <li>index entries, backfills, dropped tables and indexes: {@link IndexCommands}.
 * </ul>
 */
public final class DynamoCommands {
  /** The route-key prefix of the DynamoDB API's commands: its X-Amz-Target prefix. */
  public static final String TARGET_PREFIX = "DynamoDB_20120810.";

  /** How long a command for an unknown table waits for the catalog to be read to its end. */
  private static final Duration CATALOG_WAIT = Duration.ofSeconds(2);

  private static final Set<String> INTERNAL =
      Set.of(
          CatalogCommands.DROP_TABLE,
          CatalogCommands.DROP_INDEX,
          CatalogCommands.BACKFILL,
          CatalogCommands.TTL_BACKFILL,
          CatalogCommands.TTL_DROP,
          CatalogCommands.CATALOG_SYNC,
          IndexMaintenance.INDEX_WRITE);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CompactedView<TableDefinition> catalog;
  private final String commandsTopic;
  private final CatalogCommands tables;
  private final IndexCommands indexes;
  private final String changesTopic;

  public DynamoCommands(
      CompactedView<TableDefinition> catalog,
      String catalogTopic,
      String commandsTopic,
      int partitions,
      String changesTopic) {
    this.changesTopic = changesTopic;
    this.catalog = catalog;
    this.commandsTopic = commandsTopic;
    this.tables = new CatalogCommands(catalogTopic, commandsTopic, partitions);
    this.indexes = new IndexCommands(catalog, commandsTopic, CATALOG_WAIT);
  }

  /** True for the route keys this class serves. */
  public static boolean serves(String routeKey) {
    return routeKey != null && (routeKey.startsWith(TARGET_PREFIX) || INTERNAL.contains(routeKey));
  }

  /**
   * Runs one command against {@code store}; records it produces besides the reply (catalog, index
   * and table-keeping commands) go to {@code send}, in the loop's transaction.
   *
   * @param customers the bundled table's items in this partition
   * @return the reply, or {@code null} for a command nobody waits for
   */
  public FunctionResponse process(
      FunctionRequest request,
      PartitionStore store,
      TableItems customers,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    if (request.routeKey().equals(CatalogCommands.DROP_TABLE)) {
      indexes.catchUpCatalog();
      TypedItems.deleteTable(store, request.body());
      return null;
    }
    if (INTERNAL.contains(request.routeKey())) {
      indexes.process(request.routeKey(), request.body(), store, send);
      return null;
    }
    try {
      JsonNode body = body(request);
      String operation = request.routeKey().substring(TARGET_PREFIX.length());
      ObjectNode answer =
          switch (operation) {
            case "CreateTable" -> tables.createTable(body, store, nowMillis, send);
            case "UpdateTable" -> tables.updateTable(body, store, nowMillis, send);
            case "UpdateTimeToLive" -> tables.updateTimeToLive(body, store, send);
            case "DescribeTimeToLive" -> tables.describeTimeToLive(body, store);
            case "DeleteTable" -> tables.deleteTable(body, store, send);
            default -> itemOperation(operation, body, store, customers, nowMillis, send);
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
      TableItems customers,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    TableDefinition table = table(body);
    boolean bundled = BundledTable.is(table.name());
    TableItems items = bundled ? customers : TypedItems.table(store, table.name());
    // The bundled table's writes keep its own change stream (TypedCustomers); it has no indexes.
    Supplier<ItemChanges> changes =
        () -> bundled ? ItemChanges.NONE : changes(table, store, nowMillis, send);
    return switch (operation) {
      case "PutItem" -> ItemOperations.putItem(body, table, items, changes.get());
      case "GetItem" -> ItemOperations.getItem(body, table, items);
      case "UpdateItem" -> ItemOperations.updateItem(body, table, items, changes.get());
      case "DeleteItem" -> ItemOperations.deleteItem(body, table, items, changes.get());
      case "Query", "Scan" -> read(operation, body, table, items, store);
      default ->
          throw new DynamoException(
              "UnknownOperationException", "The table service does not run " + operation);
    };
  }

  /** Query, or a Scan page, on the table's {@code items} or on the index the request names. */
  private static ObjectNode read(
      String operation,
      JsonNode body,
      TableDefinition table,
      TableItems items,
      PartitionStore store) {
    String indexName = Requests.text(body, "IndexName");
    IndexDefinition index = null;
    TableItems source = items;
    if (indexName != null) {
      index = table.requireIndex(indexName);
      source = TypedItems.index(store, table.name(), indexName);
    }
    return operation.equals("Query")
        ? ReadOperations.query(body, table, index, source)
        : ReadOperations.scanPage(body, table, index, source);
  }

  /**
   * Deletes the items of team tables with TTL enabled whose TTL passed, in this partition (the
   * table service's TTL sweep, in the loop's transaction).
   */
  public void sweepExpired(
      PartitionStore store, long nowMillis, Consumer<ProducerRecord<String, byte[]>> send) {
    for (TableDefinition table : catalog.all().values()) {
      if (table.ttlAttribute() != null) {
        TimeToLive.sweep(
            table,
            TypedItems.table(store, table.name()),
            new TableExpiries(store, table.name()),
            nowMillis,
            changes(table, store, nowMillis, send, TimeToLive.SERVICE));
      }
    }
  }

  private ItemChanges changes(
      TableDefinition table,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send) {
    return changes(table, store, nowMillis, send, null);
  }

  /**
   * Who is told of a write's change: the table's TTL index, its indexes and its stream (whose
   * records name {@code identity}, {@code null} for a user's request).
   */
  private ItemChanges changes(
      TableDefinition table,
      PartitionStore store,
      long nowMillis,
      Consumer<ProducerRecord<String, byte[]>> send,
      StreamRecord.UserIdentity identity) {
    ItemChanges expiry =
        table.ttlAttribute() == null
            ? ItemChanges.NONE
            : new TimeToLive(table, new TableExpiries(store, table.name()));
    ItemChanges indexing =
        table.indexes().isEmpty()
            ? ItemChanges.NONE
            : new IndexMaintenance(table, table.indexes(), commandsTopic, send);
    PartitionChanges sequence = new PartitionChanges(store, nowMillis, 0, table.name());
    return expiry
        .andThen(indexing)
        .andThen(TableStream.of(table, sequence, store.partition(), changesTopic, send, identity));
  }

  private TableDefinition table(JsonNode body) {
    return definition(Requests.text(body, "TableName"));
  }

  /**
   * The table by that name: the bundled one, or the catalog's (read to its end first when this
   * replica lacks it).
   *
   * @throws DynamoException ResourceNotFoundException, or ValidationException for a malformed name
   */
  public TableDefinition definition(String tableName) {
    String name = TableNames.check(tableName, "tableName");
    if (BundledTable.is(name)) {
      return BundledTable.DEFINITION;
    }
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
