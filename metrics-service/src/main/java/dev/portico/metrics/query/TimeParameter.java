package dev.portico.metrics.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** A point in time as a query parameter: ISO-8601 ({@code 2026-03-02T10:00:00Z}) or epoch ms. */
final class TimeParameter {
  private TimeParameter() {}

  /** The epoch milliseconds, or {@code null} after adding a problem. */
  static Long parse(String name, String value, List<String> problems) {
    if (value == null) {
      problems.add(name + ": required (ISO-8601 like 2026-03-02T10:00:00Z, or epoch milliseconds)");
      return null;
    }
    try {
      if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
        return Long.parseLong(value);
      }
      return Instant.parse(value).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      problems.add(
          name + ": '" + value + "' is not ISO-8601 (2026-03-02T10:00:00Z) or epoch milliseconds");
      return null;
    }
  }
}
