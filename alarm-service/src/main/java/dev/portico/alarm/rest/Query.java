package dev.portico.alarm.rest;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Query-string parameters read with the same care as bodies: every problem is collected. */
final class Query {
  private final RoutingContext ctx;
  private final Problems problems = new Problems();

  Query(RoutingContext ctx, Set<String> allowed) {
    this.ctx = ctx;
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        problems.add("Unknown query parameter " + name);
      }
    }
  }

  Problems problems() {
    return problems;
  }

  String string(String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      problems.add(name + " may be given once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  List<String> all(String name) {
    return ctx.queryParam(name);
  }

  int integer(String name, int defaultValue, int min, int max) {
    String raw = string(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + " must be an integer from " + min + " to " + max + " (got '" + raw + "')");
    return defaultValue;
  }

  /** An ISO-8601 time ({@code 2023-09-08T07:06:00Z}, offset optional as UTC), or null. */
  Instant instant(String name) {
    String raw = string(name);
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(raw + (raw.endsWith("Z") ? "" : "Z"));
      } catch (DateTimeParseException again) {
        problems.add(name + " must be an ISO-8601 time such as 2023-09-08T07:06:00Z");
        return null;
      }
    }
  }

  String oneOf(String name, Set<String> allowed, String defaultValue) {
    String raw = string(name);
    if (raw == null) {
      return defaultValue;
    }
    if (!allowed.contains(raw)) {
      problems.add(name + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
      return defaultValue;
    }
    return raw;
  }
}
