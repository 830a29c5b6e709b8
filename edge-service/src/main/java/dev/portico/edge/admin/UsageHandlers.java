package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code /usageplans/{plan}/usage}: a plan's usage per key per day ({@code ?keyId=}, {@code
 * ?startDate=} and {@code ?endDate=} as {@code yyyy-MM-dd}, both today in UTC by default), and an
 * adjustment of a key's usage today ({@code {"usedDelta": n}}; negative grants requests).
 */
final class UsageHandlers {
  private final PlansAdmin plans;

  UsageHandlers(PlansAdmin plans) {
    this.plans = plans;
  }

  Map<String, Object> usage(AdminRequest request) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return plans.usage(
        request.path("plan"),
        request.query("keyId"),
        date(request, "startDate", today),
        date(request, "endDate", today));
  }

  Map<String, Object> adjust(AdminRequest request) {
    return plans.adjust(request.path("plan"), request.path("key"), usedDelta(request));
  }

  static long usedDelta(AdminRequest request) {
    JsonNode delta = request.body().object().get("usedDelta");
    if (delta == null || !delta.canConvertToLong()) {
      throw AdminException.invalid(
          List.of("usedDelta: required, an integer (negative grants requests)"));
    }
    return delta.asLong();
  }

  static LocalDate date(AdminRequest request, String name, LocalDate fallback) {
    String value = request.query(name);
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminException.invalid(List.of(name + ": a date yyyy-MM-dd, was " + value));
    }
  }
}
