package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.customer.state.TableItems;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.expression.Condition;
import dev.portico.table.expression.ExpressionAttributes;
import dev.portico.table.expression.ProjectionExpression;
import dev.portico.table.expression.ReturnValues;
import dev.portico.table.expression.UpdateExpression;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.ItemSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's single-item operations on a team table, in the partition that owns the item's
 * partition key: PutItem, GetItem, UpdateItem, DeleteItem. Each reads every parameter first
 * (ValidationException before anything is read), checks the condition against the current item,
 * then writes. Reads are strongly consistent whatever ConsistentRead says: they run in the item's
 * command order, after every earlier write.
 */
public final class ItemOperations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ItemOperations() {}

  public static ObjectNode putItem(
      JsonNode request, TableDefinition table, TableItems items, ItemChanges changes) {
    KeySchema schema = table.key();
    Map<String, AttributeValue> item = Requests.item(request, "Item", "item");
    byte[] key = PrimaryKey.ofItem(schema, item).encoded();
    ItemSize.check(item);
    IndexEntries.check(table, item);
    ExpressionAttributes attributes = Requests.attributes(request);
    Condition condition = Requests.condition(request, "ConditionExpression", attributes);
    ReturnValues returns = oldOrNone(request);
    boolean returnOldOnFailure = returnOldOnFailure(request);
    attributes.requireAllUsed();
    Map<String, AttributeValue> current = items.get(key);
    check(condition, current, returnOldOnFailure);
    items.put(key, item);
    if (!item.equals(current)) {
      changes.changed(current, item);
    }
    return answer(returns.select(current, item, List.of()));
  }

  public static ObjectNode getItem(JsonNode request, TableDefinition table, TableItems items) {
    Map<String, AttributeValue> keyAttributes = Requests.item(request, "Key", "key");
    byte[] key = PrimaryKey.ofKey(table.key(), keyAttributes).encoded();
    ExpressionAttributes attributes = Requests.attributes(request);
    ProjectionExpression projection = Requests.projection(request, attributes);
    attributes.requireAllUsed();
    Map<String, AttributeValue> item = items.get(key);
    ObjectNode out = NODES.objectNode();
    if (item != null) {
      out.set("Item", DynamoJson.write(projection == null ? item : projection.project(item)));
    }
    return out;
  }

  public static ObjectNode deleteItem(
      JsonNode request, TableDefinition table, TableItems items, ItemChanges changes) {
    byte[] key = PrimaryKey.ofKey(table.key(), Requests.item(request, "Key", "key")).encoded();
    ExpressionAttributes attributes = Requests.attributes(request);
    Condition condition = Requests.condition(request, "ConditionExpression", attributes);
    ReturnValues returns = oldOrNone(request);
    boolean returnOldOnFailure = returnOldOnFailure(request);
    attributes.requireAllUsed();
    Map<String, AttributeValue> current = items.get(key);
    check(condition, current, returnOldOnFailure);
    if (current != null) {
      items.delete(key);
      changes.changed(current, null);
    }
    return answer(returns.select(current, null, List.of()));
  }

  public static ObjectNode updateItem(
      JsonNode request, TableDefinition table, TableItems items, ItemChanges changes) {
    KeySchema schema = table.key();
    PrimaryKey primary = PrimaryKey.ofKey(schema, Requests.item(request, "Key", "key"));
    byte[] key = primary.encoded();
    ExpressionAttributes attributes = Requests.attributes(request);
    String text = Requests.text(request, "UpdateExpression");
    List<String> keyNames = new ArrayList<>(primary.attributes(schema).keySet());
    UpdateExpression update =
        text == null ? null : UpdateExpression.parse(text, attributes, keyNames);
    Condition condition = Requests.condition(request, "ConditionExpression", attributes);
    ReturnValues returns = ReturnValues.parse(Requests.text(request, "ReturnValues"));
    boolean returnOldOnFailure = returnOldOnFailure(request);
    attributes.requireAllUsed();
    Map<String, AttributeValue> current = items.get(key);
    check(condition, current, returnOldOnFailure);
    Map<String, AttributeValue> base = current != null ? current : primary.attributes(schema);
    Map<String, AttributeValue> next = update == null ? base : update.apply(base);
    ItemSize.check(next);
    IndexEntries.check(table, next);
    items.put(key, next);
    if (!next.equals(current)) {
      changes.changed(current, next);
    }
    return answer(returns.select(current, next, update == null ? List.of() : update.paths()));
  }

  private static ReturnValues oldOrNone(JsonNode request) {
    ReturnValues returns = ReturnValues.parse(Requests.text(request, "ReturnValues"));
    if (returns != ReturnValues.NONE && returns != ReturnValues.ALL_OLD) {
      throw new InvalidValueException("ReturnValues can only be ALL_OLD or NONE");
    }
    return returns;
  }

  /** ReturnValuesOnConditionCheckFailure: true for ALL_OLD, false for NONE or absent. */
  private static boolean returnOldOnFailure(JsonNode request) {
    String onFailure = Requests.text(request, "ReturnValuesOnConditionCheckFailure");
    if (onFailure != null && !onFailure.equals("ALL_OLD") && !onFailure.equals("NONE")) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + onFailure
              + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member"
              + " must satisfy enum value set: [ALL_OLD, NONE]");
    }
    return "ALL_OLD".equals(onFailure);
  }

  /** Fails with ConditionalCheckFailedException when {@code condition} does not hold. */
  private static void check(
      Condition condition, Map<String, AttributeValue> current, boolean returnOld) {
    if (condition == null || condition.test(current == null ? Map.of() : current)) {
      return;
    }
    throw new DynamoException(
        DynamoException.CONDITION_FAILED,
        "The conditional request failed",
        returnOld && current != null ? DynamoJson.write(current) : null);
  }

  private static ObjectNode answer(Map<String, AttributeValue> attributes) {
    ObjectNode out = NODES.objectNode();
    if (!attributes.isEmpty()) {
      out.set("Attributes", DynamoJson.write(attributes));
    }
    return out;
  }
}
