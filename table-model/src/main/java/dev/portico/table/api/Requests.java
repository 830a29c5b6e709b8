package dev.portico.table.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.expression.Condition;
import dev.portico.table.expression.ConditionParser;
import dev.portico.table.expression.ExpressionAttributes;
import dev.portico.table.expression.ProjectionExpression;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the members DynamoDB's requests share, with DynamoDB's messages. */
public final class Requests {
  private Requests() {}

  public static String text(JsonNode request, String member) {
    JsonNode value = request.get(member);
    return value == null || value.isNull() ? null : value.asText();
  }

  public static Map<String, AttributeValue> item(
      JsonNode request, String member, String constraintName) {
    JsonNode value = request.get(member);
    if (value == null || value.isNull()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at '"
              + constraintName
              + "' failed to satisfy constraint: Member must not be null");
    }
    return DynamoJson.readItem(value);
  }

  public static ExpressionAttributes attributes(JsonNode request) {
    Map<String, String> names = null;
    JsonNode n = request.get("ExpressionAttributeNames");
    if (n != null && !n.isNull()) {
      names = new LinkedHashMap<>();
      for (var it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        names.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode v = request.get("ExpressionAttributeValues");
    Map<String, AttributeValue> values = v == null || v.isNull() ? null : DynamoJson.readItem(v);
    return ExpressionAttributes.of(names, values);
  }

  /** The condition in {@code member}, or {@code null} when the request has none. */
  public static Condition condition(
      JsonNode request, String member, ExpressionAttributes attributes) {
    String expression = text(request, member);
    return expression == null ? null : ConditionParser.parse(expression, attributes);
  }

  public static ProjectionExpression projection(JsonNode request, ExpressionAttributes attributes) {
    String expression = text(request, "ProjectionExpression");
    return expression == null ? null : ProjectionExpression.parse(expression, attributes);
  }

  /** A positive Limit, or {@code null}. */
  public static Integer limit(JsonNode request) {
    JsonNode limit = request.get("Limit");
    if (limit == null || limit.isNull()) {
      return null;
    }
    if (!limit.canConvertToInt() || limit.asInt() < 1) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + limit.asText()
              + "' at 'limit' failed to satisfy constraint: Member must have value greater than or"
              + " equal to 1");
    }
    return limit.asInt();
  }
}
