package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's ExpressionAttributeNames ({@code #name} to a name) and ExpressionAttributeValues
 * ({@code :value} to a value), shared by every expression of the request. It records which ones the
 * expressions use, because DynamoDB refuses a request that defines one it never uses ({@link
 * #requireAllUsed}, called once every expression of the request is parsed).
 */
public final class ExpressionAttributes {
  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final Set<String> usedNames = new TreeSet<>();
  private final Set<String> usedValues = new TreeSet<>();

  private ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
    this.names = names;
    this.values = values;
  }

  /** No names and no values: the request sent neither parameter. */
  public static ExpressionAttributes none() {
    return new ExpressionAttributes(Map.of(), Map.of());
  }

  /**
   * The request's parameters; pass {@code null} for one the request did not send.
   *
   * @throws InvalidValueException a parameter sent empty, or a key without its {@code #} or {@code
   *     :}
   */
  public static ExpressionAttributes of(
      Map<String, String> names, Map<String, AttributeValue> values) {
    check("ExpressionAttributeNames", names, '#');
    check("ExpressionAttributeValues", values, ':');
    return new ExpressionAttributes(
        names == null ? Map.of() : new LinkedHashMap<>(names),
        values == null ? Map.of() : new LinkedHashMap<>(values));
  }

  String name(String placeholder, Syntax syntax) {
    String name = names.get(placeholder);
    if (name == null) {
      throw syntax.error(
          "An expression attribute name used in the document path is not defined; attribute name: "
              + placeholder);
    }
    usedNames.add(placeholder);
    return name;
  }

  AttributeValue value(String placeholder, Syntax syntax) {
    AttributeValue value = values.get(placeholder);
    if (value == null) {
      throw syntax.error(
          "An expression attribute value used in expression is not defined; attribute value: "
              + placeholder);
    }
    usedValues.add(placeholder);
    return value;
  }

  /**
   * @throws InvalidValueException when a name or value was defined but no expression used it
   */
  public void requireAllUsed() {
    Set<String> unusedNames = new TreeSet<>(names.keySet());
    unusedNames.removeAll(usedNames);
    if (!unusedNames.isEmpty()) {
      throw new InvalidValueException(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
              + String.join(", ", unusedNames)
              + "}");
    }
    Set<String> unusedValues = new TreeSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw new InvalidValueException(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
              + String.join(", ", unusedValues)
              + "}");
    }
  }

  private static void check(String parameter, Map<String, ?> map, char prefix) {
    if (map == null) {
      return;
    }
    if (map.isEmpty()) {
      throw new InvalidValueException(parameter + " must not be empty");
    }
    for (String key : map.keySet()) {
      if (key.length() < 2 || key.charAt(0) != prefix) {
        throw new InvalidValueException(
            parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
      }
    }
  }
}
