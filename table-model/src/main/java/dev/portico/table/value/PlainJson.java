package dev.portico.table.value;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping between plain JSON (the REST API's items) and typed values, so that an item written
 * through either API is the same item:
 *
 * <pre>
 *   plain JSON            typed            back to plain JSON
 *   "text"                S                "text"
 *   12.50 (any number)    N (exact)        12.5 (canonical: no trailing zeros, same value)
 *   true / false          BOOL             true / false
 *   null                  NULL             null
 *   {...}                 M                {...}
 *   [...]                 L                [...]
 *   (none)                B                "base64 text"
 *   (none)                SS / NS / BS     [members] (as strings, numbers, base64 strings)
 * </pre>
 *
 * Plain JSON to typed and back is the identity up to the canonical form of numbers. Typed to plain
 * loses what plain JSON cannot say: sets become arrays and binary becomes base64 text, so reading
 * them back gives L and S. Numbers are read exactly (never through a double); like the DynamoDB
 * API, a number with more than 38 significant digits or out of DynamoDB's range is refused.
 */
public final class PlainJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** Reads numbers exactly: decimals as BigDecimal, integers of any size as BigInteger. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .nodeFactory(NODES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private PlainJson() {}

  /** Parses the text of a plain JSON item (a JSON object) without rounding any number. */
  public static Map<String, AttributeValue> readItem(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidValueException("The item is not valid JSON: " + e.getOriginalMessage());
    }
    return readItem(node);
  }

  /**
   * A plain JSON object as an item. Numbers are exact only if {@code node} was read exactly (by
   * {@link #MAPPER}); a double read elsewhere has already been rounded.
   */
  public static Map<String, AttributeValue> readItem(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidValueException("An item must be a JSON object");
    }
    return members(node, "", 0);
  }

  public static AttributeValue readValue(JsonNode node) {
    return value(node, "", 0);
  }

  public static ObjectNode write(Map<String, AttributeValue> item) {
    ObjectNode out = NODES.objectNode();
    item.forEach((name, value) -> out.set(name, write(value)));
    return out;
  }

  public static JsonNode write(AttributeValue value) {
    if (value instanceof AttributeValue.S s) {
      return NODES.textNode(s.value());
    } else if (value instanceof AttributeValue.N n) {
      return NODES.numberNode(n.value());
    } else if (value instanceof AttributeValue.B b) {
      return NODES.textNode(b.value().base64());
    } else if (value instanceof AttributeValue.Bool b) {
      return NODES.booleanNode(b.value());
    } else if (value instanceof AttributeValue.Null) {
      return NODES.nullNode();
    } else if (value instanceof AttributeValue.M m) {
      return write(m.value());
    }
    ArrayNode list = NODES.arrayNode();
    if (value instanceof AttributeValue.L l) {
      l.value().forEach(element -> list.add(write(element)));
    } else if (value instanceof AttributeValue.SS ss) {
      ss.value().forEach(list::add);
    } else if (value instanceof AttributeValue.NS ns) {
      ns.value().forEach(list::add);
    } else {
      ((AttributeValue.BS) value).value().forEach(b -> list.add(b.base64()));
    }
    return list;
  }

  private static Map<String, AttributeValue> members(JsonNode object, String path, int depth) {
    Map<String, AttributeValue> members = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String memberPath = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
      members.put(member.getKey(), value(member.getValue(), memberPath, depth));
    }
    return members;
  }

  private static AttributeValue value(JsonNode node, String path, int depth) {
    return switch (node.getNodeType()) {
      case STRING -> new AttributeValue.S(node.textValue());
      case NUMBER -> {
        try {
          yield new AttributeValue.N(node.decimalValue());
        } catch (InvalidValueException e) {
          throw DynamoJson.invalid(e.getMessage(), path);
        }
      }
      case BOOLEAN -> AttributeValue.Bool.of(node.booleanValue());
      case NULL -> AttributeValue.Null.NULL;
      case OBJECT -> new AttributeValue.M(members(node, path, deeper(depth, path)));
      case ARRAY -> {
        List<AttributeValue> elements = new ArrayList<>();
        int index = 0;
        for (JsonNode element : node) {
          elements.add(value(element, path + "[" + index++ + "]", deeper(depth, path)));
        }
        yield new AttributeValue.L(elements);
      }
      default -> throw DynamoJson.invalid("Not a JSON value: " + node.getNodeType(), path);
    };
  }

  private static int deeper(int depth, String path) {
    if (depth + 1 >= DynamoJson.MAX_DEPTH) {
      throw DynamoJson.invalid("Nesting Levels have exceeded supported limits", path);
    }
    return depth + 1;
  }
}
