package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON request body read field by field: each accessor checks type and limits and records a
 * problem instead of throwing, so the answer lists everything wrong at once. Fields the operation
 * does not know are problems too (a typo must not be silently ignored).
 */
final class Body {
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private final ObjectNode node;
  private final Problems problems;

  private Body(ObjectNode node, Problems problems) {
    this.node = node;
    this.problems = problems;
  }

  /** Parses the body; an empty body reads as {@code {}} when {@code emptyAllowed}. */
  static Body parse(Buffer buffer, Set<String> allowed, Problems problems, boolean emptyAllowed) {
    if (buffer == null || buffer.length() == 0) {
      if (emptyAllowed) {
        return new Body(Json.MAPPER.createObjectNode(), problems);
      }
      throw new ApiError(400, "The request body is empty: expected a JSON object");
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(buffer.getBytes());
    } catch (Exception e) {
      throw new ApiError(400, "The request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (parsed == null || !parsed.isObject()) {
      throw new ApiError(400, "The request body must be a JSON object");
    }
    ObjectNode object = (ObjectNode) parsed;
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add("Unknown field " + name);
      }
    }
    return new Body(object, problems);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  boolean has(String field) {
    return node.hasNonNull(field);
  }

  JsonNode raw(String field) {
    return node.get(field);
  }

  /** A string of {@code min}-{@code max} characters without control characters, or null. */
  String string(String field, boolean required, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(field + " is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      problems.add(field + " must be a string");
      return null;
    }
    return checkText(field, v.asText(), min, max);
  }

  String checkText(String field, String s, int min, int max) {
    int length = s.codePointCount(0, s.length());
    if (length < min || length > max) {
      problems.add(
          field
              + " must be "
              + (min == max ? min : min + "-" + max)
              + " characters long (got "
              + length
              + ")");
      return null;
    }
    if (CONTROL.matcher(s).find()) {
      problems.add(field + " must not contain control characters or line breaks");
      return null;
    }
    return s;
  }

  Integer integer(String field, boolean required, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(field + " is required");
      }
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problems.add(field + " must be an integer");
      return null;
    }
    int i = v.intValue();
    if (i < min || i > max) {
      problems.add(field + " must be from " + min + " to " + max + " (got " + i + ")");
      return null;
    }
    return i;
  }

  Double number(String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(field + " is required");
      }
      return null;
    }
    if (!v.isNumber()) {
      problems.add(field + " must be a number");
      return null;
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      problems.add(field + " must be a finite number");
      return null;
    }
    return d;
  }

  boolean bool(String field, boolean defaultValue) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      problems.add(field + " must be true or false");
      return defaultValue;
    }
    return v.booleanValue();
  }

  /** A list of at most {@code maxItems} distinct strings, each checked by {@code item}. */
  List<String> strings(String field, int maxItems, ItemCheck item) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      problems.add(field + " must be an array of strings");
      return List.of();
    }
    if (v.size() > maxItems) {
      problems.add(field + " may have at most " + maxItems + " items (got " + v.size() + ")");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String label = field + "[" + i + "]";
      if (!e.isTextual()) {
        problems.add(label + " must be a string");
        continue;
      }
      String value = e.asText();
      if (!item.check(label, value)) {
        continue;
      }
      if (!seen.add(value)) {
        problems.add(label + " repeats " + value);
        continue;
      }
      out.add(value);
    }
    return out;
  }

  /** Checks one list item; records a problem and answers false when it is not acceptable. */
  interface ItemCheck {
    boolean check(String label, String value);
  }
}
