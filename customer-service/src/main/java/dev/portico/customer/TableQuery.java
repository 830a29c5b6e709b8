package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.customer.condition.Condition;
import dev.portico.customer.condition.ConditionParser;
import dev.portico.customer.condition.ConditionSyntaxException;
import dev.portico.customer.dynamo.ReadOperations;
import dev.portico.customer.state.TableItems;
import dev.portico.table.api.DynamoException;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /{stage}/tables/{table}/items?key=...}: a Query of any table (the bundled one too)
 * through the REST API, in the style of its {@code GET /customer} scan: query-string parameters in,
 * plain JSON items, {@code count}, {@code scannedCount} and an opaque {@code nextCursor} out. It
 * runs the DynamoDB API's Query ({@link ReadOperations}), so its order, Limit, page size and key
 * rules are DynamoDB's; {@code filter} is a condition in the REST API's dialect.
 *
 * <p>Parameters: {@code key} (the partition key's value, required), at most one sort key condition
 * ({@code sort} for equality, {@code sort_lt}, {@code sort_le}, {@code sort_gt}, {@code sort_ge},
 * {@code sort_begins_with}; {@code sort_ge} with {@code sort_le} make a BETWEEN), {@code index},
 * {@code limit} (1-1000, default 100), {@code forward} ({@code true} or {@code false}), {@code
 * filter}, {@code cursor}. Values are text: a number key's value is its digits, a binary key's its
 * base64.
 */
final class TableQuery {
  static final String ROUTE = "GET /tables/{table}/items";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String CURSOR_VERSION = "t1:";
  private static final List<String> BETWEEN = List.of("sort_ge", "sort_le");

  /** The sort key parameters, each with the key condition it makes. */
  private static final Map<String, String> SORT_CONDITIONS = new LinkedHashMap<>();

  static {
    SORT_CONDITIONS.put("sort", "#s = :s");
    SORT_CONDITIONS.put("sort_lt", "#s < :s");
    SORT_CONDITIONS.put("sort_le", "#s <= :s");
    SORT_CONDITIONS.put("sort_gt", "#s > :s");
    SORT_CONDITIONS.put("sort_ge", "#s >= :s");
    SORT_CONDITIONS.put("sort_begins_with", "begins_with(#s, :s)");
  }

  private final TableDefinition table;
  private final IndexDefinition index;
  private final ObjectNode query;
  private final Condition filter;
  private final String commandKey;

  private TableQuery(
      TableDefinition table,
      IndexDefinition index,
      ObjectNode query,
      Condition filter,
      String commandKey) {
    this.table = table;
    this.index = index;
    this.query = query;
    this.filter = filter;
    this.commandKey = commandKey;
  }

  /**
   * Reads the request; {@code tables} gives a table's definition or throws DynamoDB's
   * ResourceNotFoundException.
   */
  static TableQuery parse(FunctionRequest request, Function<String, TableDefinition> tables)
      throws ItemValidation.Invalid {
    Map<String, String> params =
        request.queryStringParameters() == null ? Map.of() : request.queryStringParameters();
    String name = request.pathParameters() == null ? null : request.pathParameters().get("table");
    TableDefinition table;
    try {
      table = tables.apply(name);
    } catch (DynamoException e) {
      throw new ItemValidation.Invalid(
          e.type().equals(DynamoException.VALIDATION) ? 400 : 404, e.getMessage());
    } catch (InvalidValueException e) {
      throw new ItemValidation.Invalid(400, e.getMessage());
    }
    String indexName = params.get("index");
    IndexDefinition index;
    try {
      index = indexName == null ? null : table.requireIndex(indexName);
    } catch (InvalidValueException e) {
      throw new ItemValidation.Invalid(400, e.getMessage());
    }
    KeySchema schema = index == null ? table.key() : index.key();
    String keyText = params.get("key");
    if (keyText == null) {
      throw new ItemValidation.Invalid(400, "Missing the query parameter key (the partition key)");
    }
    AttributeValue partition = typed("key", keyText, schema.partitionType());

    ObjectNode query = Json.MAPPER.createObjectNode().put("TableName", table.name());
    if (index != null) {
      query.put("IndexName", index.name());
    }
    ObjectNode names = query.putObject("ExpressionAttributeNames").put("#k", schema.partitionKey());
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":k", partition);
    String sortCondition = sortCondition(params, schema, names, values);
    query.put(
        "KeyConditionExpression",
        "#k = :k" + (sortCondition == null ? "" : " AND " + sortCondition));
    query.set("ExpressionAttributeValues", DynamoJson.write(values));
    query.put("Limit", limit(params.get("limit")));
    query.put("ScanIndexForward", forward(params.get("forward")));
    String cursor = params.get("cursor");
    if (cursor != null && !cursor.isEmpty()) {
      query.set("ExclusiveStartKey", readCursor(cursor));
    }
    Condition filter = null;
    if (params.get("filter") != null) {
      try {
        filter = ConditionParser.parse(params.get("filter"));
      } catch (ConditionSyntaxException e) {
        throw new ItemValidation.Invalid(400, "Invalid filter expression: " + e.getMessage());
      }
    }
    String commandKey =
        index == null
            ? IndexEntries.commandKey(table.name(), partition)
            : IndexEntries.commandKey(table.name(), index.name(), partition);
    return new TableQuery(table, index, query, filter, commandKey);
  }

  /** The record key of the partition that holds the items this query reads. */
  String commandKey() {
    return commandKey;
  }

  String table() {
    return table.name();
  }

  IndexDefinition index() {
    return index;
  }

  /** Runs the query on {@code items} (the table's, or the index's entries) in this partition. */
  FunctionResponse run(TableItems items) {
    ObjectNode answer;
    try {
      answer =
          ReadOperations.query(query, table, index, items, filter == null ? null : filter.typed());
    } catch (InvalidValueException | DynamoException e) {
      return Responses.message(400, e.getMessage());
    }
    ArrayNode plain = Json.MAPPER.createArrayNode();
    for (JsonNode item : answer.withArray("Items")) {
      plain.add(PlainJson.write(DynamoJson.readItem(stored(item))));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("items", plain);
    body.put("count", answer.path("Count").asInt());
    body.put("scannedCount", answer.path("ScannedCount").asInt());
    if (answer.has("LastEvaluatedKey")) {
      body.put("nextCursor", cursor(answer.get("LastEvaluatedKey")));
    }
    return FunctionResponse.json(200, body.toString(), Map.of());
  }

  private static String sortCondition(
      Map<String, String> params,
      KeySchema schema,
      ObjectNode names,
      Map<String, AttributeValue> values)
      throws ItemValidation.Invalid {
    List<String> given = SORT_CONDITIONS.keySet().stream().filter(params::containsKey).toList();
    if (given.isEmpty()) {
      return null;
    }
    if (!schema.hasSortKey()) {
      throw new ItemValidation.Invalid(
          400, "The key has no sort key, so " + String.join(", ", given) + " cannot apply");
    }
    names.put("#s", schema.sortKey());
    if (given.size() == 2 && given.containsAll(BETWEEN)) {
      values.put(":lo", typed("sort_ge", params.get("sort_ge"), schema.sortType()));
      values.put(":hi", typed("sort_le", params.get("sort_le"), schema.sortType()));
      return "#s BETWEEN :lo AND :hi";
    }
    if (given.size() > 1) {
      throw new ItemValidation.Invalid(
          400,
          "Give one sort key condition, not "
              + String.join(" and ", given)
              + " (sort_ge with sort_le make a BETWEEN)");
    }
    String parameter = given.get(0);
    values.put(":s", typed(parameter, params.get(parameter), schema.sortType()));
    return SORT_CONDITIONS.get(parameter);
  }

  /** A key value given as text, as the key's type. */
  private static AttributeValue typed(String parameter, String text, KeyType type)
      throws ItemValidation.Invalid {
    try {
      return switch (type) {
        case S -> AttributeValue.s(text);
        case N -> AttributeValue.n(text);
        case B -> AttributeValue.b(Base64.getDecoder().decode(text));
      };
    } catch (IllegalArgumentException | InvalidValueException e) {
      throw new ItemValidation.Invalid(
          400,
          "The query parameter "
              + parameter
              + " must be "
              + (type == KeyType.N ? "a number" : "base64")
              + " (the key is of type "
              + type
              + "): "
              + text);
    }
  }

  private static int limit(String text) throws ItemValidation.Invalid {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ItemValidation.Invalid(400, "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    return limit;
  }

  private static boolean forward(String text) throws ItemValidation.Invalid {
    if (text == null || text.equals("true")) {
      return true;
    }
    if (text.equals("false")) {
      return false;
    }
    throw new ItemValidation.Invalid(400, "forward must be true or false");
  }

  private static String cursor(JsonNode lastEvaluatedKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_VERSION + lastEvaluatedKey).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode readCursor(String cursor) throws ItemValidation.Invalid {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(CURSOR_VERSION)) {
        JsonNode key = Json.MAPPER.readTree(text.substring(CURSOR_VERSION.length()));
        if (key != null && key.isObject()) {
          return key;
        }
      }
    } catch (IllegalArgumentException | IOException e) {
      // Falls through to the refusal below.
    }
    throw new ItemValidation.Invalid(400, "Invalid cursor: pass back a nextCursor unchanged");
  }

  /** An item of the answer: read from its stored JSON when the page passed it on as stored. */
  private static JsonNode stored(JsonNode item) {
    if (item.isPojo()
        && ((com.fasterxml.jackson.databind.node.POJONode) item).getPojo()
            instanceof RawValue raw) {
      try {
        return PlainJson.MAPPER.readTree(raw.rawValue().toString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return item;
  }
}
