package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write's ReturnValues parameter: which attributes the answer carries. UPDATED_OLD and
 * UPDATED_NEW project the item before or after onto the paths the update wrote or removed (as
 * DynamoDB does: {@code SET a.b = :v} returns {@code {a: {b: ...}}}, not all of {@code a}).
 */
public enum ReturnValues {
  NONE,
  ALL_OLD,
  UPDATED_OLD,
  ALL_NEW,
  UPDATED_NEW;

  /**
   * The parameter as sent ({@code null}: not sent, NONE).
   *
   * @throws InvalidValueException not one of the five names
   */
  public static ReturnValues parse(String parameter) {
    if (parameter == null) {
      return NONE;
    }
    return Arrays.stream(values())
        .filter(v -> v.name().equals(parameter))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidValueException(
                    "1 validation error detected: Value '"
                        + parameter
                        + "' at 'returnValues' failed to satisfy constraint: Member must satisfy"
                        + " enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"));
  }

  /**
   * The attributes to return for a write that turned {@code before} into {@code after} (either may
   * be {@code null}: no item) by writing or removing {@code updated}; empty when there are none.
   */
  public Map<String, AttributeValue> select(
      Map<String, AttributeValue> before, Map<String, AttributeValue> after, List<Path> updated) {
    Map<String, AttributeValue> item =
        switch (this) {
          case NONE -> null;
          case ALL_OLD -> before;
          case ALL_NEW -> after;
          case UPDATED_OLD -> before == null ? null : ProjectionExpression.project(before, updated);
          case UPDATED_NEW -> after == null ? null : ProjectionExpression.project(after, updated);
        };
    return item == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(item));
  }
}
