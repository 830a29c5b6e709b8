package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Changes the value at a document path of an immutable item, copying only the maps and lists on the
 * way. As in DynamoDB, every step before the last must exist and be of the kind its next step needs
 * (a map for {@code .name}, a list for {@code [index]}); the last step may be missing. A new
 * element at or past a list's end is appended; removing a list element shifts the ones after it.
 */
final class Documents {
  private Documents() {}

  /**
   * The item with the value at {@code path} replaced by {@code change} applied to it ({@code null}
   * in, the path is missing; {@code null} out, remove it).
   *
   * @throws InvalidValueException a step before the last is missing or of the wrong kind
   */
  static Map<String, AttributeValue> change(
      Map<String, AttributeValue> item, Path path, UnaryOperator<AttributeValue> change) {
    return ((AttributeValue.M) at(new AttributeValue.M(item), path.steps(), 0, change)).value();
  }

  private static AttributeValue at(
      AttributeValue container, List<Object> steps, int i, UnaryOperator<AttributeValue> change) {
    boolean last = i == steps.size() - 1;
    if (steps.get(i) instanceof String name) {
      if (!(container instanceof AttributeValue.M map)) {
        throw invalidPath();
      }
      Map<String, AttributeValue> copy = new LinkedHashMap<>(map.value());
      AttributeValue old = copy.get(name);
      if (!last && old == null) {
        throw invalidPath();
      }
      AttributeValue updated = last ? change.apply(old) : at(old, steps, i + 1, change);
      if (updated == null) {
        copy.remove(name);
      } else {
        copy.put(name, updated);
      }
      return new AttributeValue.M(copy);
    }
    int index = (Integer) steps.get(i);
    if (!(container instanceof AttributeValue.L list)) {
      throw invalidPath();
    }
    List<AttributeValue> copy = new ArrayList<>(list.value());
    AttributeValue old = index < copy.size() ? copy.get(index) : null;
    if (!last && old == null) {
      throw invalidPath();
    }
    AttributeValue updated = last ? change.apply(old) : at(old, steps, i + 1, change);
    if (old == null) {
      if (updated != null) {
        copy.add(updated);
      }
    } else if (updated == null) {
      copy.remove(index);
    } else {
      copy.set(index, updated);
    }
    return new AttributeValue.L(copy);
  }

  private static InvalidValueException invalidPath() {
    return new InvalidValueException(
        "The document path provided in the update expression is invalid for update");
  }
}
