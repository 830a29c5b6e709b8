package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * A document path such as {@code price}, {@code address.city} or {@code lines[0].sku}, with every
 * {@code #placeholder} already replaced by its name: names select map members, indexes select list
 * elements.
 *
 * @param steps each a {@code String} (member name) or an {@code Integer} (list index)
 */
public record Path(List<Object> steps) {
  public Path {
    steps = List.copyOf(steps);
  }

  public static Path of(Object... steps) {
    return new Path(List.of(steps));
  }

  /** The value at this path in {@code item}; {@code null} when the item or any step is missing. */
  public AttributeValue resolve(Map<String, AttributeValue> item) {
    if (item == null) {
      return null;
    }
    AttributeValue value = item.get((String) steps.get(0));
    for (Object step : steps.subList(1, steps.size())) {
      if (step instanceof Integer index) {
        value =
            value instanceof AttributeValue.L list && index < list.value().size()
                ? list.value().get(index)
                : null;
      } else {
        value = value instanceof AttributeValue.M map ? map.value().get((String) step) : null;
      }
      if (value == null) {
        return null;
      }
    }
    return value;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Object step : steps) {
      if (step instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        text.append(text.length() == 0 ? "" : ".").append(step);
      }
    }
    return text.toString();
  }
}
