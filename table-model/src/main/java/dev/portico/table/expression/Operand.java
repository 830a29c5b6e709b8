package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A value in an expression: a document path, a value from ExpressionAttributeValues, or size(). */
public sealed interface Operand permits Operand.Attribute, Operand.Value, Operand.Size {

  /** The operand's value for {@code item} ({@code null} when there is no item), or null if none. */
  AttributeValue value(Map<String, AttributeValue> item);

  /** The value at a document path of the item. */
  record Attribute(Path path) implements Operand {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      return path.resolve(item);
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** A constant from ExpressionAttributeValues, or written inline in the REST dialect. */
  record Value(String placeholder, AttributeValue constant) implements Operand {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      return constant;
    }

    @Override
    public String toString() {
      return placeholder;
    }
  }

  /**
   * {@code size(operand)}: bytes of a string's UTF-8 form or of a binary, members of a set or map,
   * elements of a list. Numbers, booleans, null and missing attributes have no size, so every
   * comparison with it is false (the condition fails, as in DynamoDB).
   */
  record Size(Operand of) implements Operand {
    @Override
    public AttributeValue value(Map<String, AttributeValue> item) {
      Integer size = size(of.value(item));
      return size == null ? null : AttributeValue.n(size);
    }

    static Integer size(AttributeValue value) {
      if (value instanceof AttributeValue.S s) {
        return s.value().getBytes(StandardCharsets.UTF_8).length;
      } else if (value instanceof AttributeValue.B b) {
        return b.value().length();
      } else if (value instanceof AttributeValue.SS ss) {
        return ss.value().size();
      } else if (value instanceof AttributeValue.NS ns) {
        return ns.value().size();
      } else if (value instanceof AttributeValue.BS bs) {
        return bs.value().size();
      } else if (value instanceof AttributeValue.L l) {
        return l.value().size();
      } else if (value instanceof AttributeValue.M m) {
        return m.value().size();
      }
      return null;
    }

    @Override
    public String toString() {
      return "size(" + of + ")";
    }
  }
}
