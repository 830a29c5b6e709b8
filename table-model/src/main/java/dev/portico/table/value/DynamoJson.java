package dev.portico.table.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * DynamoDB JSON, the wire form of the DynamoDB API: every value is an object with exactly one
 * member naming its type ({@code {"S":"x"}}, {@code {"N":"12.5"}}, {@code {"B":"AAE="}}, {@code
 * {"BOOL":true}}, {@code {"NULL":true}}, {@code {"M":{...}}}, {@code {"L":[...]}}, {@code
 * {"SS":[...]}}, {@code {"NS":[...]}}, {@code {"BS":[...]}}). Numbers travel as strings so that no
 * JSON parser rounds them; binary travels as standard base64.
 *
 * <p>Reading refuses anything DynamoDB refuses, with DynamoDB's message and the path of the
 * offending value ({@code (at order.lines[2])}) so that a client can find it in a large item.
 */
public final class DynamoJson {
  /** DynamoDB's limit on nested documents (maps and lists). */
  public static final int MAX_DEPTH = 32;

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private DynamoJson() {}

  /** An item: a JSON object of attribute names to DynamoDB JSON values. */
  public static Map<String, AttributeValue> readItem(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidValueException("An item must be a JSON object of attribute values");
    }
    return members(node, "", 0);
  }

  /** One value in DynamoDB JSON. */
  public static AttributeValue readValue(JsonNode node) {
    return value(node, "", 0);
  }

  public static ObjectNode write(Map<String, AttributeValue> item) {
    ObjectNode out = NODES.objectNode();
    item.forEach((name, value) -> out.set(name, write(value)));
    return out;
  }

  public static ObjectNode write(AttributeValue value) {
    ObjectNode out = NODES.objectNode();
    if (value instanceof AttributeValue.S s) {
      out.put("S", s.value());
    } else if (value instanceof AttributeValue.N n) {
      out.put("N", n.text());
    } else if (value instanceof AttributeValue.B b) {
      out.put("B", b.value().base64());
    } else if (value instanceof AttributeValue.Bool b) {
      out.put("BOOL", b.value());
    } else if (value instanceof AttributeValue.Null) {
      out.put("NULL", true);
    } else if (value instanceof AttributeValue.M m) {
      out.set("M", write(m.value()));
    } else if (value instanceof AttributeValue.L l) {
      ArrayNode list = out.putArray("L");
      l.value().forEach(element -> list.add(write(element)));
    } else if (value instanceof AttributeValue.SS ss) {
      ss.value().forEach(out.putArray("SS")::add);
    } else if (value instanceof AttributeValue.NS ns) {
      ArrayNode set = out.putArray("NS");
      ns.value().forEach(n -> set.add(Numbers.text(n)));
    } else {
      ArrayNode set = out.putArray("BS");
      ((AttributeValue.BS) value).value().forEach(b -> set.add(b.base64()));
    }
    return out;
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
    if (node == null || !node.isObject()) {
      throw invalid("An attribute value must be a JSON object such as {\"S\":\"text\"}", path);
    }
    if (node.isEmpty()) {
      throw invalid(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
          path);
    }
    if (node.size() > 1) {
      throw invalid(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
              + " the supported datatypes",
          path);
    }
    Map.Entry<String, JsonNode> only = node.fields().next();
    String type = only.getKey();
    JsonNode body = only.getValue();
    return switch (type) {
      case "S" -> new AttributeValue.S(text(body, type, path));
      case "N" -> new AttributeValue.N(number(text(body, type, path), path));
      case "B" -> new AttributeValue.B(binary(text(body, type, path), path));
      case "BOOL" -> AttributeValue.Bool.of(bool(body, type, path));
      case "NULL" -> {
        if (!bool(body, type, path)) {
          throw invalid(
              "One or more parameter values were invalid: Null attribute value types must have"
                  + " the value of true",
              path);
        }
        yield AttributeValue.Null.NULL;
      }
      case "M" -> {
        if (!body.isObject()) {
          throw invalid("The value of M must be a JSON object", path);
        }
        yield new AttributeValue.M(members(body, path, deeper(depth, path)));
      }
      case "L" -> {
        List<AttributeValue> elements = new ArrayList<>();
        int index = 0;
        for (JsonNode element : array(body, type, path)) {
          elements.add(value(element, path + "[" + index++ + "]", deeper(depth, path)));
        }
        yield new AttributeValue.L(elements);
      }
      case "SS" -> new AttributeValue.SS(set(body, type, path, s -> s));
      case "NS" -> new AttributeValue.NS(set(body, type, path, s -> number(s, path)));
      case "BS" -> new AttributeValue.BS(set(body, type, path, s -> binary(s, path)));
      default ->
          throw invalid(
              "Unknown attribute value type "
                  + type
                  + "; the types are S, N, B, BOOL, NULL, M, L, SS, NS and BS",
              path);
    };
  }

  private static <T> Set<T> set(
      JsonNode body, String type, String path, Function<String, T> member) {
    Set<T> members = new LinkedHashSet<>();
    List<String> texts = new ArrayList<>();
    for (JsonNode element : array(body, type, path)) {
      String text = text(element, type + " member", path);
      texts.add(text);
      members.add(member.apply(text));
    }
    if (members.size() < texts.size()) {
      throw invalid(
          "One or more parameter values were invalid: Input collection "
              + texts
              + " of type "
              + type
              + " contains duplicates.",
          path);
    }
    if (members.isEmpty()) {
      throw invalid(
          "One or more parameter values were invalid: An " + type + " may not be empty", path);
    }
    return members;
  }

  private static int deeper(int depth, String path) {
    if (depth + 1 >= MAX_DEPTH) {
      throw invalid("Nesting Levels have exceeded supported limits", path);
    }
    return depth + 1;
  }

  private static String text(JsonNode body, String type, String path) {
    if (!body.isTextual()) {
      throw invalid("The value of " + type + " must be a JSON string", path);
    }
    return body.textValue();
  }

  private static boolean bool(JsonNode body, String type, String path) {
    if (!body.isBoolean()) {
      throw invalid("The value of " + type + " must be true or false", path);
    }
    return body.booleanValue();
  }

  private static JsonNode array(JsonNode body, String type, String path) {
    if (!body.isArray()) {
      throw invalid("The value of " + type + " must be a JSON array", path);
    }
    return body;
  }

  private static BigDecimal number(String text, String path) {
    try {
      return Numbers.parse(text);
    } catch (InvalidValueException e) {
      throw invalid(e.getMessage(), path);
    }
  }

  private static Bytes binary(String base64, String path) {
    try {
      return Bytes.fromBase64(base64);
    } catch (IllegalArgumentException e) {
      throw invalid("Invalid base64 in a binary value: " + e.getMessage(), path);
    }
  }

  static InvalidValueException invalid(String message, String path) {
    return new InvalidValueException(path.isEmpty() ? message : message + " (at " + path + ")");
  }
}
