package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.util.AbstractMap;
import java.util.Set;

/**
 * A parsed REST condition, evaluated against a plain JSON item ({@code null} when the item does not
 * exist, so that {@code attribute_not_exists(customer_id)} means "create only"). The item is typed
 * as {@link PlainJson} maps it, the way the DynamoDB API sees the same item.
 */
public final class Condition {
  private final dev.portico.table.expression.Condition parsed;

  Condition(dev.portico.table.expression.Condition parsed) {
    this.parsed = parsed;
  }

  /**
   * Whether the condition holds for {@code item}.
   *
   * @throws UncomparableValueException an attribute the condition reads holds a value no typed
   *     value can (a number beyond 38 significant digits or DynamoDB's range, nesting deeper than
   *     32 levels): the REST API stores such items today, and comparing them some other way would
   *     answer differently from the DynamoDB API
   */
  public boolean test(ObjectNode item) {
    return parsed.test(item == null ? null : new TypedAttributes(item));
  }

  /** The condition on typed items, as the DynamoDB API's readers evaluate it. */
  public dev.portico.table.expression.Condition typed() {
    return parsed;
  }

  /**
   * The item's attributes, each typed when the condition reads it (the evaluator only calls {@code
   * get}), so an attribute no typed value can hold matters only to a condition that names it.
   */
  private static final class TypedAttributes extends AbstractMap<String, AttributeValue> {
    private final ObjectNode item;

    TypedAttributes(ObjectNode item) {
      this.item = item;
    }

    @Override
    public AttributeValue get(Object name) {
      JsonNode value = name instanceof String member ? item.get(member) : null;
      if (value == null) {
        return null;
      }
      try {
        return PlainJson.readValue(value);
      } catch (InvalidValueException | NumberFormatException e) {
        throw new UncomparableValueException(
            "the attribute "
                + name
                + " holds a value conditions cannot compare: "
                + e.getMessage());
      }
    }

    @Override
    public Set<Entry<String, AttributeValue>> entrySet() {
      return PlainJson.readItem(item).entrySet();
    }
  }
}
