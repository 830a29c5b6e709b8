package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An attribute path such as {@code price}, {@code address.city} or {@code tags[0]}: names select
 * object members, indexes select list elements.
 *
 * @param steps each a {@code String} (member name) or an {@code Integer} (list index)
 */
public record Path(List<Object> steps) {
  public Path {
    steps = List.copyOf(steps);
  }

  /** The value at this path in {@code item}; {@code null} when any step is missing. */
  public JsonNode resolve(ObjectNode item) {
    JsonNode node = item;
    for (Object step : steps) {
      if (node == null) {
        return null;
      }
      node =
          step instanceof Integer index
              ? (node.isArray() ? node.get(index) : null)
              : node.get((String) step);
    }
    return node == null || node.isMissingNode() ? null : node;
  }
}
