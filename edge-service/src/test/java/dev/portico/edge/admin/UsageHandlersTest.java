package dev.portico.edge.admin;

import static dev.portico.edge.admin.AdminRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageHandlersTest {
  static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

  @Test
  void shouldReadQueryDatesDefaultingToTheFallback() {
    AdminRequest request = request(Map.of(), Map.of("startDate", "2026-11-30"));
    assertEquals(LocalDate.of(2026, 11, 30), UsageHandlers.date(request, "startDate", TODAY));
    assertEquals(TODAY, UsageHandlers.date(request, "endDate", TODAY));
  }

  @Test
  void shouldRefuseADateNotYearMonthDay() {
    AdminRequest request = request(Map.of(), Map.of("endDate", "05/12/2026"));
    AdminException e =
        assertThrows(AdminException.class, () -> UsageHandlers.date(request, "endDate", TODAY));
    assertEquals(List.of("endDate: a date yyyy-MM-dd, was 05/12/2026"), e.problems());
  }

  @Test
  void shouldRequireAnIntegerUsedDelta() {
    assertEquals(-5, UsageHandlers.usedDelta(body("{\"usedDelta\":-5}")));
    for (String bad : List.of("{}", "{\"usedDelta\":\"3\"}", "{\"usedDelta\":null}")) {
      AdminException e =
          assertThrows(AdminException.class, () -> UsageHandlers.usedDelta(body(bad)));
      assertEquals(
          List.of("usedDelta: required, an integer (negative grants requests)"), e.problems());
    }
  }

  private static AdminRequest body(String json) {
    return request(Map.of("plan", "p", "key", "k"), Map.of(), Map.of(), json);
  }
}
