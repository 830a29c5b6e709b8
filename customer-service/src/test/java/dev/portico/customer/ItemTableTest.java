package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemTableTest {
  final ItemTable table = new ItemTable();
  final Map<String, StoredItem> items = new HashMap<>();
  final ItemStore store =
      new ItemStore() {
        @Override
        public StoredItem get(String key) {
          return items.get(key);
        }

        @Override
        public void put(String key, StoredItem item) {
          items.put(key, item);
        }
      };
  long offset;

  Outcome post(String body) {
    return table.handle(request("POST /customer", body, null), store, meta());
  }

  Outcome get(String id) {
    return table.handle(request("GET /customer/{customer_id}", null, id), store, meta());
  }

  CommandMeta meta() {
    return new CommandMeta("commands", 0, offset++, 1_763_750_000_000L);
  }

  static FunctionRequest request(String routeKey, String body, String id) {
    return new FunctionRequest(
        "2.0",
        routeKey,
        "/prod",
        "",
        Map.of(),
        null,
        id == null ? null : Map.of("customer_id", id),
        null,
        body,
        false,
        null);
  }

  @Test
  void shouldRejectAnItemOverFourHundredKilobytesAndStoreNothing() {
    String padding = "x".repeat(400 * 1024);
    Outcome outcome = post("{\"customer_id\":\"big\",\"blob\":\"" + padding + "\"}");
    assertEquals(413, outcome.response().statusCode());
    assertNull(outcome.change());
    assertTrue(items.isEmpty());
  }

  @Test
  void shouldAcceptAnItemOfExactlyFourHundredKilobytes() {
    String head = "{\"customer_id\":\"edge\",\"blob\":\"";
    String tail = "\"}";
    String body = head + "x".repeat(400 * 1024 - head.length() - tail.length()) + tail;
    assertEquals(400 * 1024, body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertEquals(201, post(body).response().statusCode());
  }

  @Test
  void shouldEnforceTheKeyLengthAtItsEdges() {
    assertEquals(
        201, post("{\"customer_id\":\"" + "k".repeat(255) + "\"}").response().statusCode());
    assertEquals(
        400, post("{\"customer_id\":\"" + "k".repeat(256) + "\"}").response().statusCode());
    assertEquals(400, post("{\"customer_id\":\"\"}").response().statusCode());
    assertEquals(201, post("{\"customer_id\":\"k\"}").response().statusCode());
  }

  @Test
  void shouldRejectAnEmptyBodyAndAnUnknownOperation() {
    assertEquals(400, post("").response().statusCode());
    Outcome unknown = table.handle(request("DELETE /everything", null, null), store, meta());
    assertEquals(400, unknown.response().statusCode());
    assertTrue(unknown.response().body().contains("DELETE /everything"));
  }

  @Test
  void shouldVersionEveryEffectiveChangeAndNothingElse() {
    assertEquals("\"1\"", post("{\"customer_id\":\"a\",\"n\":1}").response().headers().get("etag"));
    Outcome same = post("{\"n\":1,\"customer_id\":\"a\"}");
    assertEquals("\"1\"", same.response().headers().get("etag"), "attribute order is not a change");
    assertNull(same.change());
    Outcome changed = post("{\"customer_id\":\"a\",\"n\":2}");
    assertEquals("\"2\"", changed.response().headers().get("etag"));
    assertEquals("MODIFY", changed.change().eventName());
    assertEquals(1, changed.change().dynamodb().oldImage().get("n").asInt());
    assertEquals(200, get("a").response().statusCode());
    assertEquals(404, get("b").response().statusCode());
  }

  @Test
  void shouldGiveTheSameEventIdWhenTheSameCommandIsProcessedAgain() {
    CommandMeta first = new CommandMeta("commands", 3, 42, 0);
    CommandMeta again = new CommandMeta("commands", 3, 42, 0);
    assertEquals(first.eventId(), again.eventId());
    assertEquals("000000000000000000042", first.sequenceNumber());
  }
}
