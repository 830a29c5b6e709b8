package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A value in a condition: an attribute path, a literal, or {@code size(path)}. */
public sealed interface Operand permits Operand.Attribute, Operand.Literal, Operand.Size {

  /** The operand's value for {@code item}, or {@code null} when it has none. */
  JsonNode value(ObjectNode item);

  /** The value at an attribute path. */
  record Attribute(Path path) implements Operand {
    @Override
    public JsonNode value(ObjectNode item) {
      return path.resolve(item);
    }
  }

  /** A constant written in the expression. */
  record Literal(JsonNode constant) implements Operand {
    @Override
    public JsonNode value(ObjectNode item) {
      return constant;
    }
  }

  /**
   * {@code size(path)}: characters of a string, elements of a list, attributes of an object; no
   * value for numbers, booleans, null or a missing attribute.
   */
  record Size(Path path) implements Operand {
    @Override
    public JsonNode value(ObjectNode item) {
      JsonNode node = path.resolve(item);
      if (node == null) {
        return null;
      }
      if (node.isTextual()) {
        return IntNode.valueOf(node.asText().codePointCount(0, node.asText().length()));
      }
      if (node.isArray() || node.isObject()) {
        return IntNode.valueOf(node.size());
      }
      return null;
    }
  }
}
