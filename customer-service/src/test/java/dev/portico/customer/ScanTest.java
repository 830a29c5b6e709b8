package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanTest {
  final InMemoryTable table = new InMemoryTable("expires_at", StreamViewType.NEW_AND_OLD_IMAGES);

  void put(String json) {
    assertEquals(201, table.handle(Requests.post(json).build()).response().statusCode());
  }

  static FunctionRequest scanRequest(Map<String, String> query) {
    return new FunctionRequest(
        "2.0",
        "GET /customer",
        "/prod/customer",
        "",
        Map.of(),
        query,
        null,
        null,
        null,
        false,
        null);
  }

  JsonNode page(int partitions, Map<String, String> query) throws Exception {
    ScanRequest scan = ScanRequest.parse(scanRequest(query), partitions);
    FunctionResponse response = table.table.scan(scan, partitions, table, table);
    assertEquals(200, response.statusCode());
    assertTrue(response.body().length() < 1024 * 1024, "a page fits a Kafka message");
    return Json.MAPPER.readTree(response.body());
  }

  /** Follows nextCursor to the end; returns every customer_id seen, in order. */
  List<String> scanAll(int partitions, int limit) throws Exception {
    List<String> seen = new ArrayList<>();
    Map<String, String> query = new HashMap<>(Map.of("limit", Integer.toString(limit)));
    for (int pages = 0; pages < 1_000; pages++) {
      JsonNode page = page(partitions, query);
      page.get("items").forEach(item -> seen.add(item.get("customer_id").asText()));
      if (!page.has("nextCursor")) {
        return seen;
      }
      query.put("cursor", page.get("nextCursor").asText());
    }
    throw new AssertionError("the scan did not end");
  }

  @Test
  void shouldPageThroughEveryItemExactlyOnceInKeyOrder() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String id = String.format("c%02d", i);
      expected.add(id);
      put("{\"customer_id\":\"" + id + "\"}");
    }
    assertEquals(expected, scanAll(1, 10));
    JsonNode first = page(1, Map.of("limit", "10"));
    assertEquals(10, first.get("count").asInt());
    assertEquals(10, first.get("scannedCount").asInt());
    assertEquals(expected, scanAll(1, 1000));
  }

  @Test
  void aCursorShouldMoveOnToTheNextPartitionAndEndAfterTheLast() throws Exception {
    put("{\"customer_id\":\"only\"}");
    JsonNode first = page(3, Map.of());
    assertEquals(ScanRequest.cursor(1, ""), first.get("nextCursor").asText());
    JsonNode second = page(3, Map.of("cursor", first.get("nextCursor").asText()));
    assertEquals(ScanRequest.cursor(2, ""), second.get("nextCursor").asText());
    JsonNode third = page(3, Map.of("cursor", second.get("nextCursor").asText()));
    assertFalse(third.has("nextCursor"), "partition 2 is the last");
  }

  @Test
  void expiredItemsAreSkippedAndTheFilterAppliesAfterTheLimit() throws Exception {
    put("{\"customer_id\":\"a\",\"price\":5}");
    put("{\"customer_id\":\"b\",\"price\":50,\"expires_at\":1}");
    put("{\"customer_id\":\"c\",\"price\":500}");
    JsonNode page = page(1, Map.of("limit", "2", "filter", "price > 10"));
    assertEquals(0, page.get("count").asInt(), "a fails the filter, b has expired");
    assertEquals(2, page.get("scannedCount").asInt());
    JsonNode rest =
        page(
            1,
            Map.of(
                "limit", "2", "filter", "price > 10", "cursor", page.get("nextCursor").asText()));
    assertEquals("c", rest.at("/items/0/customer_id").asText());
  }

  @Test
  void aFilterReadingAValueNoTypedValueHoldsShouldBeA400() throws Exception {
    put("{\"customer_id\":\"h\",\"huge\":1e200}");
    ScanRequest scan = ScanRequest.parse(scanRequest(Map.of("filter", "huge > 0")), 1);
    FunctionResponse response = table.table.scan(scan, 1, table, table);
    assertEquals(400, response.statusCode());
    assertEquals(
        "Invalid filter expression: the attribute huge holds a value conditions cannot compare:"
            + " Number overflow. Attempting to store a number with magnitude larger than"
            + " supported range",
        Json.MAPPER.readTree(response.body()).get("message").asText());
  }

  @Test
  void aPageShouldStayUnderOneMegabyte() throws Exception {
    for (int i = 0; i < 5; i++) {
      put("{\"customer_id\":\"big" + i + "\",\"blob\":\"" + "x".repeat(290 * 1024) + "\"}");
    }
    JsonNode first = page(1, Map.of());
    assertEquals(3, first.get("count").asInt(), "3 x 290 KB fit in 900 KB, a fourth does not");
    assertEquals(List.of("big0", "big1", "big2", "big3", "big4"), scanAll(1, 100));
  }

  @Test
  void badLimitsAndCursorsShouldBe400s() {
    for (Map<String, String> query :
        List.of(
            Map.of("limit", "0"),
            Map.of("limit", "1001"),
            Map.of("limit", "ten"),
            Map.of("cursor", "!!!"),
            Map.of("cursor", ScanRequest.cursor(3, "")),
            Map.of("filter", "price >"))) {
      try {
        ScanRequest.parse(scanRequest(query), 3);
        throw new AssertionError("accepted " + query);
      } catch (ItemValidation.Invalid invalid) {
        assertEquals(400, invalid.status, query.toString());
      }
    }
  }
}
