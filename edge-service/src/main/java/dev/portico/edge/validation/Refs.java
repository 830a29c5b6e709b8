package dev.portico.edge.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Local {@code $ref}s ({@code #/components/...}) of an OpenAPI document, resolved or inlined. */
final class Refs {
  private static final int MAX_DEPTH = 32;

  private Refs() {}

  /** The node a {@code $ref} points at, or the node itself. */
  static JsonNode resolve(JsonNode root, JsonNode node) {
    JsonNode current = node;
    for (int i = 0; i < MAX_DEPTH && current.has("$ref"); i++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        return current;
      }
      current = root.at(ref.substring(1));
    }
    return current;
  }

  /** A copy of {@code schema} with every local {@code $ref} replaced by its target. */
  static JsonNode inline(JsonNode root, JsonNode schema, String where, List<String> problems) {
    return inline(root, schema, where, problems, 0);
  }

  private static JsonNode inline(
      JsonNode root, JsonNode node, String where, List<String> problems, int depth) {
    if (depth > MAX_DEPTH) {
      problems.add(where + ": $ref nesting deeper than " + MAX_DEPTH + " (recursive schema?)");
      return node;
    }
    if (node.isObject() && node.has("$ref")) {
      String ref = node.get("$ref").asText();
      JsonNode target = ref.startsWith("#/") ? root.at(ref.substring(1)) : null;
      if (target == null || target.isMissingNode()) {
        problems.add(where + ": $ref " + ref + " does not resolve in this document");
        return node;
      }
      return inline(root, target, where, problems, depth + 1);
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      object
          .properties()
          .forEach(
              e -> copy.set(e.getKey(), inline(root, e.getValue(), where, problems, depth + 1)));
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode();
      array.forEach(e -> copy.add(inline(root, e, where, problems, depth + 1)));
      return copy;
    }
    return node;
  }
}
