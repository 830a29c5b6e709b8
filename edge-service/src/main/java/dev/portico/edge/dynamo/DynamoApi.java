package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.kit.CompactedView;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.BundledTable;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.catalog.TableDescription;
import dev.portico.table.catalog.TableNames;
import dev.portico.table.expression.KeyCondition;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The DynamoDB API's operations at the edge: ListTables and DescribeTable are answered from the
 * table catalog this replica follows; every other operation (DescribeTimeToLive too: it reads the
 * table's definition where it changes, never a lagging view) becomes a command on the table
 * service's commands topic (route key: the {@code X-Amz-Target}), keyed by {@link TableRouting},
 * and its reply is the answer. Scan walks the partitions ({@link ScanWalk}); the batch operations
 * fan out into single-item commands ({@link Batches}).
 */
public final class DynamoApi {
  static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KafkaFunctionClient functions;
  private final CompactedView<TableDefinition> catalog;
  private final String commandsTopic;
  private final int partitions;
  private final Duration timeout;

  public DynamoApi(
      KafkaFunctionClient functions,
      CompactedView<TableDefinition> catalog,
      String commandsTopic,
      int partitions,
      Duration timeout) {
    this.functions = functions;
    this.catalog = catalog;
    this.commandsTopic = commandsTopic;
    this.partitions = partitions;
    this.timeout = timeout;
  }

  /**
   * Runs {@code operation} (the target's part after the dot): the answer's JSON, or a failed future
   * with a DynamoException.
   */
  public Future<String> handle(String operation, String body) {
    JsonNode request;
    try {
      request = MAPPER.readTree(body);
    } catch (IOException e) {
      return Future.failedFuture(
          new DynamoException("SerializationException", "The request body is not valid JSON"));
    }
    if (request == null || !request.isObject()) {
      return Future.failedFuture(
          new DynamoException("SerializationException", "The request body is not a JSON object"));
    }
    try {
      return switch (operation) {
        case "ListTables" -> Future.succeededFuture(listTables(request).toString());
        case "DescribeTable" -> describeTable(request).map(ObjectNode::toString);
        case "CreateTable",
            "UpdateTable",
            "DeleteTable",
            "UpdateTimeToLive",
            "DescribeTimeToLive" ->
            send(
                operation,
                TableNames.check(Requests.text(request, "TableName"), "tableName"),
                body);
        case "PutItem" ->
            table(request)
                .compose(
                    t ->
                        send(
                            operation,
                            IndexEntries.commandKey(t.name(), key(t, request, "Item")),
                            body));
        case "GetItem", "UpdateItem", "DeleteItem" ->
            table(request)
                .compose(
                    t ->
                        send(
                            operation,
                            IndexEntries.commandKey(t.name(), key(t, request, "Key")),
                            body));
        case "Query" -> table(request).compose(t -> send(operation, queryKey(t, request), body));
        case "Scan" ->
            table(request)
                .compose(t -> new ScanWalk(this, t, request).run())
                .map(ObjectNode::toString);
        case "BatchWriteItem" -> new Batches(this).write(request).map(ObjectNode::toString);
        case "BatchGetItem" -> new Batches(this).get(request).map(ObjectNode::toString);
        default ->
            Future.failedFuture(
                new DynamoException(
                    "UnknownOperationException", "Operation not supported: " + operation));
      };
    } catch (InvalidValueException e) {
      return Future.failedFuture(new DynamoException(DynamoException.VALIDATION, e.getMessage()));
    } catch (DynamoException e) {
      return Future.failedFuture(e);
    }
  }

  private ObjectNode listTables(JsonNode request) {
    String after = Requests.text(request, "ExclusiveStartTableName");
    Integer limit = Requests.limit(request);
    if (limit != null && limit > 100) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value less than or"
              + " equal to 100");
    }
    int max = limit == null ? 100 : limit;
    TreeSet<String> names = tableNames();
    List<String> page =
        (after == null ? names : names.tailSet(after, false)).stream().limit(max + 1L).toList();
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode tableNames = out.putArray("TableNames");
    page.stream().limit(max).forEach(tableNames::add);
    if (page.size() > max) {
      out.put("LastEvaluatedTableName", page.get(max - 1));
    }
    return out;
  }

  /** Every table, described as DescribeTable would, by name. */
  public List<ObjectNode> describeAll() {
    return tableNames().stream()
        .map(name -> known(name).map(t -> TableDescription.of(t, "ACTIVE")).orElse(null))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  /** The names of the tables: the catalog's and the bundled one, in order. */
  private TreeSet<String> tableNames() {
    TreeSet<String> names = new TreeSet<>(catalog.all().keySet());
    names.add(BundledTable.NAME);
    return names;
  }

  /** The table this replica knows by that name: the bundled one, or the catalog's. */
  private java.util.Optional<TableDefinition> known(String name) {
    return BundledTable.is(name)
        ? java.util.Optional.of(BundledTable.DEFINITION)
        : catalog.get(name);
  }

  private Future<ObjectNode> describeTable(JsonNode request) {
    return table(request)
        .map(
            t -> {
              ObjectNode out = MAPPER.createObjectNode();
              out.set("Table", TableDescription.of(t, "ACTIVE"));
              return out;
            });
  }

  /** The request's table, from the catalog (read to its end first when this replica lacks it). */
  Future<TableDefinition> table(JsonNode request) {
    return table(TableNames.check(Requests.text(request, "TableName"), "tableName"));
  }

  Future<TableDefinition> table(String name) {
    TableDefinition known = known(name).orElse(null);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return Future.fromCompletionStage(catalog.catchUp())
        .otherwiseEmpty()
        .compose(
            v ->
                catalog
                    .get(name)
                    .map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(DynamoException.tableNotFound(name))));
  }

  private static AttributeValue key(TableDefinition table, JsonNode request, String member) {
    Map<String, AttributeValue> attributes =
        Requests.item(request, member, member.equals("Item") ? "item" : "key");
    return (member.equals("Item")
            ? PrimaryKey.ofItem(table.key(), attributes)
            : PrimaryKey.ofKey(table.key(), attributes))
        .partition();
  }

  /** A Query's record key: its table's (or index's) partition key, from the key condition. */
  private static String queryKey(TableDefinition table, JsonNode request) {
    String expression = Requests.text(request, "KeyConditionExpression");
    if (expression == null) {
      throw new InvalidValueException(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the"
              + " request.");
    }
    IndexDefinition index = index(table, request);
    AttributeValue partition =
        KeyCondition.parse(
                expression, Requests.attributes(request), index == null ? table.key() : index.key())
            .partition();
    return index == null
        ? IndexEntries.commandKey(table.name(), partition)
        : IndexEntries.commandKey(table.name(), index.name(), partition);
  }

  /** The index the request names, or {@code null} for the table itself. */
  static IndexDefinition index(TableDefinition table, JsonNode request) {
    String name = Requests.text(request, "IndexName");
    if (name == null) {
      return null;
    }
    return table.requireIndex(name);
  }

  Future<ObjectNode> itemCommand(
      String operation, String table, AttributeValue partitionKey, String body) {
    return command(operation, IndexEntries.commandKey(table, partitionKey), body);
  }

  /**
   * Sends one command keyed by {@code key}: its answer's JSON as the table service wrote it (passed
   * on without being read again), or its error.
   */
  private Future<String> send(String operation, String key, String body) {
    String id = UUID.randomUUID().toString();
    return functions
        .invoke(commandsTopic, key, request(operation, body), id, timeout)
        .transform(DynamoApi::answer);
  }

  /** {@link #send}, the answer read (for the edge's own use of it: batches). */
  Future<ObjectNode> command(String operation, String key, String body) {
    return send(operation, key, body).map(DynamoApi::parse);
  }

  /** Sends one command to an exact partition (a Scan's page), the answer read. */
  Future<ObjectNode> command(String operation, int partition, String body) {
    String id = UUID.randomUUID().toString();
    return functions
        .invoke(commandsTopic, partition, id, request(operation, body), id, timeout)
        .transform(DynamoApi::answer)
        .map(DynamoApi::parse);
  }

  /** An answer's JSON, read. */
  public static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException | ClassCastException e) {
      throw new DynamoException(
          DynamoException.INTERNAL, "Unreadable reply from the table service");
    }
  }

  int partitions() {
    return partitions;
  }

  private static FunctionRequest request(String operation, String body) {
    return FunctionRequest.command(TARGET_PREFIX + operation, body);
  }

  /** The table service's reply as an answer, or the DynamoDB error it carries. */
  private static Future<String> answer(io.vertx.core.AsyncResult<FunctionResponse> result) {
    if (result.failed()) {
      return Future.failedFuture(
          new DynamoException(
              DynamoException.INTERNAL,
              "The table service did not answer: " + result.cause().getMessage()));
    }
    FunctionResponse response = result.result();
    if (response.statusCode() == 200 && response.body() != null) {
      return Future.succeededFuture(response.body());
    }
    try {
      JsonNode body = MAPPER.readTree(response.body());
      String type = body.path("__type").asText("");
      return Future.failedFuture(
          new DynamoException(
              type.substring(type.indexOf('#') + 1),
              body.path("message").asText(),
              body.get("Item") instanceof ObjectNode item ? item : null));
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(
          new DynamoException(DynamoException.INTERNAL, "Unreadable reply from the table service"));
    }
  }
}
