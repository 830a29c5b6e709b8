package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a JSON body's fields; a field of the wrong type is a 400 {@link AdminException}
 * naming it. An absent or {@code null} field reads as absent.
 */
final class JsonFields {
  private final JsonNode node;

  JsonFields(JsonNode node) {
    this.node = node;
  }

  boolean has(String field) {
    return node.has(field);
  }

  /** The raw field, or null. */
  JsonNode get(String field) {
    return node.get(field);
  }

  /** A string, or null when absent. */
  String text(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw AdminException.invalid(List.of(field + ": must be a string"));
    }
    return value.asText();
  }

  /** A flag, or null when absent (Jackson's reading of {@code true}, {@code "true"} or 1). */
  Boolean flag(String field) {
    return node.has(field) ? node.get(field).asBoolean() : null;
  }

  /** A map of strings, empty when absent; with {@code nullsAllowed}, a null value means remove. */
  Map<String, String> strings(String field, boolean nullsAllowed) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw AdminException.invalid(List.of(field + ": must be an object of strings"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (e.getValue().isNull() && nullsAllowed) {
        out.put(e.getKey(), null);
      } else if (!e.getValue().isTextual()) {
        throw AdminException.invalid(List.of(field + "." + e.getKey() + ": must be a string"));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}
