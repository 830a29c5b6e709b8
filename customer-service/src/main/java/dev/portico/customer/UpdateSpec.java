package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code PATCH /customer/{customer_id}}: {@code {"set": {attr: value}, "remove":
 * [attr], "add": {attr: number}}} on top-level attributes. {@code add} to a missing attribute
 * counts from 0; to a non-number it is an error; removing a missing attribute changes nothing. The
 * key attribute cannot be updated.
 */
record UpdateSpec(Map<String, JsonNode> set, List<String> remove, Map<String, BigDecimal> add) {
  private static final Set<String> FIELDS = Set.of("set", "remove", "add");

  static UpdateSpec parse(ObjectNode body) throws ItemValidation.Invalid {
    for (var field : body.properties()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new ItemValidation.Invalid(
            400, "Unknown update field '" + field.getKey() + "' (expected set, remove, add)");
      }
    }
    var set = new java.util.LinkedHashMap<String, JsonNode>();
    JsonNode setNode = body.path("set");
    if (!setNode.isMissingNode()) {
      requireObject(setNode, "set");
      setNode.properties().forEach(e -> set.put(e.getKey(), e.getValue()));
    }
    List<String> remove = new ArrayList<>();
    JsonNode removeNode = body.path("remove");
    if (!removeNode.isMissingNode()) {
      if (!removeNode.isArray()) {
        throw new ItemValidation.Invalid(400, "'remove' must be a list of attribute names");
      }
      for (JsonNode name : removeNode) {
        if (!name.isTextual()) {
          throw new ItemValidation.Invalid(400, "'remove' must be a list of attribute names");
        }
        remove.add(name.asText());
      }
    }
    var add = new java.util.LinkedHashMap<String, BigDecimal>();
    JsonNode addNode = body.path("add");
    if (!addNode.isMissingNode()) {
      requireObject(addNode, "add");
      for (var e : addNode.properties()) {
        if (!e.getValue().isNumber()) {
          throw new ItemValidation.Invalid(400, "'add' needs a number for '" + e.getKey() + "'");
        }
        add.put(e.getKey(), e.getValue().decimalValue());
      }
    }
    UpdateSpec spec = new UpdateSpec(set, remove, add);
    spec.validate();
    return spec;
  }

  private static void requireObject(JsonNode node, String field) throws ItemValidation.Invalid {
    if (!node.isObject()) {
      throw new ItemValidation.Invalid(400, "'" + field + "' must be an object of attributes");
    }
  }

  private void validate() throws ItemValidation.Invalid {
    if (set.isEmpty() && remove.isEmpty() && add.isEmpty()) {
      throw new ItemValidation.Invalid(400, "The update is empty: give set, remove or add");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String name : attributes()) {
      if (name.equals(ItemValidation.KEY)) {
        throw new ItemValidation.Invalid(
            400, "The key attribute " + ItemValidation.KEY + " cannot be updated");
      }
      if (name.isEmpty()) {
        throw new ItemValidation.Invalid(400, "Attribute names must not be empty");
      }
      if (!seen.add(name)) {
        throw new ItemValidation.Invalid(
            400, "Attribute '" + name + "' appears twice in the update");
      }
    }
  }

  /** Every attribute the update touches, in the order given. */
  List<String> attributes() {
    List<String> names = new ArrayList<>(set.keySet());
    names.addAll(remove);
    names.addAll(add.keySet());
    return names;
  }

  /** Applies the update to a copy of {@code item} (an item holding only the key when absent). */
  ObjectNode applyTo(ObjectNode item) throws ItemValidation.Invalid {
    ObjectNode result = item.deepCopy();
    set.forEach(result::set);
    remove.forEach(result::remove);
    for (var e : add.entrySet()) {
      JsonNode current = result.get(e.getKey());
      if (current != null && !current.isNumber()) {
        throw new ItemValidation.Invalid(
            400, "Cannot add to '" + e.getKey() + "': it is not a number");
      }
      BigDecimal base = current == null ? BigDecimal.ZERO : current.decimalValue();
      result.put(e.getKey(), Numbers.normalize(base.add(e.getValue())));
    }
    return result;
  }
}
