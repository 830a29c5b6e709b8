package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The right-hand side of a SET action, computed from the item as it was before the update: a path,
 * a {@code :value}, {@code if_not_exists(path, value)}, {@code list_append(list, list)}, or the sum
 * or difference of two of those. A path that is missing from the item, or an operand of the wrong
 * type, fails the update with DynamoDB's message.
 */
public sealed interface UpdateValue
    permits UpdateValue.Of,
        UpdateValue.IfNotExists,
        UpdateValue.ListAppend,
        UpdateValue.Arithmetic {

  /** The value for {@code item} (empty, never null, when there is no item). */
  AttributeValue value(Map<String, AttributeValue> item);

  /** A path or a constant. */
  record Of(Operand operand) implements UpdateValue {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      AttributeValue value = operand.value(item);
      if (value == null) {
        throw new InvalidValueException(
            "The provided expression refers to an attribute that does not exist in the item");
      }
      return value;
    }
  }

  /** The value at {@code path}, or {@code fallback} when the path is missing. */
  record IfNotExists(Path path, UpdateValue fallback) implements UpdateValue {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      AttributeValue value = path.resolve(item);
      return value != null ? value : fallback.value(item);
    }
  }

  /** The elements of the first list followed by those of the second. */
  record ListAppend(UpdateValue first, UpdateValue second) implements UpdateValue {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      if (first.value(item) instanceof AttributeValue.L a
          && second.value(item) instanceof AttributeValue.L b) {
        List<AttributeValue> both = new ArrayList<>(a.value());
        both.addAll(b.value());
        return new AttributeValue.L(both);
      }
      throw incorrectType();
    }
  }

  /**
   * {@code left + right} or {@code left - right} on numbers, exact; a result beyond DynamoDB's 38
   * digits or range fails with its message (never rounds).
   */
  record Arithmetic(UpdateValue left, boolean plus, UpdateValue right) implements UpdateValue {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      if (left.value(item) instanceof AttributeValue.N a
          && right.value(item) instanceof AttributeValue.N b) {
        return new AttributeValue.N(
            plus ? a.value().add(b.value()) : a.value().subtract(b.value()));
      }
      throw incorrectType();
    }
  }

  static InvalidValueException incorrectType() {
    return new InvalidValueException(
        "An operand in the update expression has an incorrect data type");
  }
}
