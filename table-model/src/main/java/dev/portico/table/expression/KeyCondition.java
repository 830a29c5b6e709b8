package dev.portico.table.expression;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeyRange;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed KeyConditionExpression: the partition key's value and, optionally, a condition on the
 * sort key; {@link #range()} is the key range a sorted store scans to answer the Query.
 *
 * <p>The text is parsed by {@link ConditionParser} (the key condition language is a part of the
 * condition language), then held to DynamoDB's rules, with its messages: conditions joined by AND
 * only, {@code pk = :v} on the partition key, at most one of {@code = < <= > >=}, BETWEEN and
 * {@code begins_with} on the sort key, each on a top-level key attribute and a value of its type.
 *
 * @param sort {@code null} when the expression names the partition key only
 */
public record KeyCondition(AttributeValue partition, SortKeyCondition sort, KeyRange range) {

  /**
   * @throws InvalidValueException a syntax error or a condition DynamoDB would refuse for {@code
   *     schema}
   */
  public static KeyCondition parse(
      String expression, ExpressionAttributes attributes, KeySchema schema) {
    Condition parsed = ConditionParser.parse(expression, attributes, Syntax.KEY_CONDITION);
    List<Condition> conditions = new ArrayList<>();
    flatten(parsed, conditions);
    AttributeValue partition = null;
    SortKeyCondition sort = null;
    List<String> seen = new ArrayList<>();
    for (Condition condition : conditions) {
      KeyPart part = KeyPart.of(condition);
      if (seen.contains(part.attribute())) {
        throw new InvalidValueException(
            "KeyConditionExpressions must only contain one condition per key");
      }
      seen.add(part.attribute());
      if (part.attribute().equals(schema.partitionKey())) {
        if (part.operator() != SortKeyCondition.Operator.EQ) {
          throw notSupported();
        }
        partition = typed(part.value(), schema.partitionType());
      } else if (part.attribute().equals(schema.sortKey())) {
        sort =
            new SortKeyCondition(
                part.operator(),
                typed(part.value(), schema.sortType()),
                part.high() == null ? null : typed(part.high(), schema.sortType()));
      } else {
        throw notSupported();
      }
    }
    if (partition == null) {
      throw new InvalidValueException(
          "Query condition missed key schema element: " + schema.partitionKey());
    }
    KeyRange range =
        sort == null
            ? KeyRange.withPrefix(KeyEncoding.partitionPrefix(partition))
            : sort.range(partition);
    return new KeyCondition(partition, sort, range);
  }

  /** True when an item with this sort key (of the table's sort key type) is in the answer. */
  public boolean matches(AttributeValue sortKey) {
    return sort == null || sort.matches(sortKey);
  }

  /** True when an item (with its key attributes) is in the answer. */
  public boolean matches(Map<String, AttributeValue> item, KeySchema schema) {
    return partition.equals(item.get(schema.partitionKey()))
        && (sort == null || sort.matches(item.get(schema.sortKey())));
  }

  private static void flatten(Condition condition, List<Condition> out) {
    if (condition instanceof Condition.And and) {
      flatten(and.left(), out);
      flatten(and.right(), out);
    } else {
      out.add(condition);
    }
  }

  private static AttributeValue typed(AttributeValue value, KeyType type) {
    if (!type.matches(value)) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Condition parameter type does not match"
              + " schema type");
    }
    return value;
  }

  private static InvalidValueException notSupported() {
    return new InvalidValueException("Query key condition not supported");
  }
}
