package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemTableTest {
  final InMemoryTable table = new InMemoryTable();

  Outcome run(Requests request) {
    return table.handle(request.build());
  }

  static JsonNode body(Outcome outcome) {
    try {
      return Json.MAPPER.readTree(outcome.response().body());
    } catch (Exception e) {
      throw new AssertionError(String.valueOf(outcome.response()), e);
    }
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static String message(Outcome outcome) {
    return body(outcome).get("message").asText();
  }

  @Test
  void shouldRejectAnItemOverFourHundredKilobytesAndStoreNothing() {
    String padding = "x".repeat(400 * 1024);
    Outcome outcome = run(Requests.post("{\"customer_id\":\"big\",\"blob\":\"" + padding + "\"}"));
    assertEquals(413, outcome.response().statusCode());
    assertTrue(outcome.changes().isEmpty());
    assertTrue(table.items.isEmpty());
  }

  @Test
  void shouldAcceptAnItemOfExactlyFourHundredKilobytes() {
    String head = "{\"customer_id\":\"edge\",\"blob\":\"";
    String tail = "\"}";
    String body = head + "x".repeat(400 * 1024 - head.length() - tail.length()) + tail;
    assertEquals(400 * 1024, body.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(201, run(Requests.post(body)).response().statusCode());
  }

  @Test
  void shouldRejectAnUpdateThatWouldGrowTheItemPastTheLimit() {
    run(Requests.post("{\"customer_id\":\"g\",\"blob\":\"" + "x".repeat(300 * 1024) + "\"}"));
    Outcome grown =
        run(Requests.patch("g", "{\"set\":{\"more\":\"" + "y".repeat(200 * 1024) + "\"}}"));
    assertEquals(413, grown.response().statusCode());
    assertTrue(grown.changes().isEmpty());
    assertEquals(1, table.items.get("g").version());
  }

  @Test
  void shouldEnforceTheKeyLengthAtItsEdges() {
    assertEquals(
        201,
        run(Requests.post("{\"customer_id\":\"" + "k".repeat(255) + "\"}"))
            .response()
            .statusCode());
    assertEquals(
        400,
        run(Requests.post("{\"customer_id\":\"" + "k".repeat(256) + "\"}"))
            .response()
            .statusCode());
    assertEquals(400, run(Requests.post("{\"customer_id\":\"\"}")).response().statusCode());
    assertEquals(400, run(Requests.get("k".repeat(256))).response().statusCode());
  }

  @Test
  void shouldRejectAnEmptyBodyAndAnUnknownOperation() {
    assertEquals(400, run(Requests.post("")).response().statusCode());
    Outcome unknown = run(Requests.route("DELETE /everything"));
    assertEquals(400, unknown.response().statusCode());
    assertTrue(unknown.response().body().contains("DELETE /everything"));
  }

  @Test
  void shouldVersionEveryEffectiveChangeAndNothingElse() {
    assertEquals(
        "\"1\"",
        run(Requests.post("{\"customer_id\":\"a\",\"n\":1}")).response().headers().get("etag"));
    Outcome same = run(Requests.post("{\"n\":1.0,\"customer_id\":\"a\"}"));
    assertEquals(
        "\"1\"",
        same.response().headers().get("etag"),
        "attribute order and 1 vs 1.0 are not changes");
    assertTrue(same.changes().isEmpty());
    Outcome changed = run(Requests.post("{\"customer_id\":\"a\",\"n\":2}"));
    assertEquals("\"2\"", changed.response().headers().get("etag"));
    StreamRecord modify = changed.changes().get(0);
    assertEquals("MODIFY", modify.eventName());
    assertEquals(1, modify.dynamodb().oldImage().get("n").asInt());
    assertEquals(200, run(Requests.get("a")).response().statusCode());
    assertEquals(404, run(Requests.get("b")).response().statusCode());
  }

  @Test
  void putAtPathShouldTakeTheKeyFromThePathAndRejectAMismatch() throws Exception {
    Outcome created = run(Requests.put("p1", "{\"name\":\"Kim\"}"));
    assertEquals(201, created.response().statusCode());
    assertEquals(json("{\"name\":\"Kim\",\"customer_id\":\"p1\"}"), body(created));
    Outcome mismatch = run(Requests.put("p1", "{\"customer_id\":\"p2\"}"));
    assertEquals(400, mismatch.response().statusCode());
    assertEquals("The body's customer_id does not match the path's", message(mismatch));
  }

  @Test
  void updateShouldSetRemoveAndAddAndCreateTheItemWhenAbsent() throws Exception {
    Outcome created =
        run(Requests.patch("u", "{\"set\":{\"name\":\"Lee\"},\"add\":{\"visits\":1}}"));
    assertEquals(201, created.response().statusCode());
    assertEquals(json("{\"customer_id\":\"u\",\"name\":\"Lee\",\"visits\":1}"), body(created));
    assertEquals("INSERT", created.changes().get(0).eventName());

    Outcome updated =
        run(
            Requests.patch(
                "u",
                "{\"set\":{\"tier\":\"gold\"},\"remove\":[\"name\",\"missing\"],\"add\":{\"visits\":2.5}}"));
    assertEquals(200, updated.response().statusCode());
    assertEquals(json("{\"customer_id\":\"u\",\"visits\":3.5,\"tier\":\"gold\"}"), body(updated));
  }

  @Test
  void removingOnlyAMissingAttributeShouldBeANoOp() {
    run(Requests.post("{\"customer_id\":\"r\",\"a\":1}"));
    Outcome outcome = run(Requests.patch("r", "{\"remove\":[\"nothere\"]}"));
    assertEquals(200, outcome.response().statusCode());
    assertTrue(outcome.changes().isEmpty());
    assertEquals(1, table.items.get("r").version());
  }

  @Test
  void shouldRejectBadUpdatesNamingTheProblem() {
    run(Requests.post("{\"customer_id\":\"b\",\"name\":\"Kim\"}"));
    assertEquals(
        "The update is empty: give set, remove or add", message(run(Requests.patch("b", "{}"))));
    assertEquals(
        "Cannot add to 'name': it is not a number",
        message(run(Requests.patch("b", "{\"add\":{\"name\":1}}"))));
    assertEquals(
        "'add' needs a number for 'n'",
        message(run(Requests.patch("b", "{\"add\":{\"n\":\"1\"}}"))));
    assertEquals(
        "The key attribute customer_id cannot be updated",
        message(run(Requests.patch("b", "{\"set\":{\"customer_id\":\"c\"}}"))));
    assertEquals(
        "Unknown update field 'put' (expected set, remove, add)",
        message(run(Requests.patch("b", "{\"put\":{}}"))));
    assertEquals(
        "Attribute 'x' appears twice in the update",
        message(run(Requests.patch("b", "{\"set\":{\"x\":1},\"remove\":[\"x\"]}"))));
    assertEquals(1, table.items.get("b").version(), "nothing was applied");
  }

  @Test
  void returnValuesShouldShapeTheAnswer() throws Exception {
    run(Requests.post("{\"customer_id\":\"v\",\"a\":1,\"b\":2}"));
    String update = "{\"set\":{\"a\":10},\"add\":{\"c\":1}}";
    assertEquals(
        json("{\"a\":1}"),
        body(run(Requests.patch("v", update).header("x-return-values", "UPDATED_OLD"))));
    assertEquals(
        json("{\"a\":10,\"c\":2}"),
        body(run(Requests.patch("v", update).header("x-return-values", "updated_new"))));
    assertEquals(
        json("{\"customer_id\":\"v\",\"a\":10,\"b\":2,\"c\":2}"),
        body(run(Requests.patch("v", "{\"add\":{\"c\":0}}").header("x-return-values", "ALL_OLD"))));
    Outcome none =
        run(Requests.patch("v", "{\"add\":{\"c\":1}}").header("x-return-values", "NONE"));
    assertEquals(204, none.response().statusCode());
    assertNull(none.response().body());
    assertEquals("\"4\"", none.response().headers().get("etag"));
    Outcome unknown = run(Requests.patch("v", update).header("x-return-values", "EVERYTHING"));
    assertEquals(400, unknown.response().statusCode());
    assertTrue(message(unknown).startsWith("Unknown ReturnValues 'EVERYTHING'"));
    assertEquals(
        400,
        run(Requests.delete("v").header("x-return-values", "ALL_NEW")).response().statusCode());
  }

  @Test
  void deleteShouldRemoveTheItemAndReturnItWhenAsked() throws Exception {
    run(Requests.post("{\"customer_id\":\"d\",\"a\":1}"));
    Outcome deleted = run(Requests.delete("d").header("x-return-values", "ALL_OLD"));
    assertEquals(200, deleted.response().statusCode());
    assertEquals(json("{\"customer_id\":\"d\",\"a\":1}"), body(deleted));
    StreamRecord remove = deleted.changes().get(0);
    assertEquals("REMOVE", remove.eventName());
    assertNull(remove.dynamodb().newImage());
    assertNull(remove.userIdentity());
    Outcome again = run(Requests.delete("d"));
    assertEquals(204, again.response().statusCode());
    assertTrue(again.changes().isEmpty(), "deleting a missing item changes nothing");
  }

  @Test
  void ifMatchShouldGuardTheWriteWith412() {
    run(Requests.post("{\"customer_id\":\"m\",\"a\":1}"));
    Outcome stale = run(Requests.patch("m", "{\"set\":{\"a\":2}}").header("if-match", "\"7\""));
    assertEquals(412, stale.response().statusCode());
    assertEquals(ItemTable.CONDITION_FAILED, message(stale));
    assertTrue(stale.changes().isEmpty());
    assertEquals(1, table.items.get("m").item().get("a").asInt());
    assertEquals(
        200,
        run(Requests.patch("m", "{\"set\":{\"a\":2}}").header("if-match", "\"1\""))
            .response()
            .statusCode());
    assertEquals(
        412, run(Requests.delete("absent").header("if-match", "*")).response().statusCode());
  }

  @Test
  void ifNoneMatchStarShouldCreateOnly() {
    assertEquals(
        201,
        run(Requests.post("{\"customer_id\":\"n\"}").header("if-none-match", "*"))
            .response()
            .statusCode());
    Outcome second =
        run(Requests.post("{\"customer_id\":\"n\",\"x\":1}").header("if-none-match", "*"));
    assertEquals(412, second.response().statusCode());
    assertTrue(second.changes().isEmpty());
    assertEquals(
        400,
        run(Requests.post("{\"customer_id\":\"n\"}").header("if-none-match", "\"1\""))
            .response()
            .statusCode());
  }

  @Test
  void aFailedConditionShouldAnswer409AndChangeNothing() throws Exception {
    run(Requests.post("{\"customer_id\":\"c\",\"price\":100,\"name\":\"KilDong\"}"));
    Outcome failed =
        run(
            Requests.patch("c", "{\"set\":{\"price\":50}}")
                .header("x-condition", "price > 100 OR begins_with(name, 'Kim')")
                .header("x-return-values-on-condition-check-failure", "ALL_OLD"));
    assertEquals(409, failed.response().statusCode());
    assertEquals(ItemTable.CONDITION_FAILED, message(failed));
    assertEquals(100, body(failed).at("/item/price").asInt(), "the current item, as asked");
    assertTrue(failed.changes().isEmpty());
    assertEquals(100, table.items.get("c").item().get("price").asInt());

    Outcome passed =
        run(
            Requests.patch("c", "{\"set\":{\"price\":50}}")
                .header("x-condition", "attribute_exists(price) AND NOT (size(name) < 3)"));
    assertEquals(200, passed.response().statusCode());
  }

  @Test
  void aConditionOnAMissingItemShouldSeeNoAttributes() {
    assertEquals(
        409,
        run(Requests.post("{\"customer_id\":\"x\"}")
                .header("x-condition", "attribute_exists(customer_id)"))
            .response()
            .statusCode());
    assertEquals(
        201,
        run(Requests.post("{\"customer_id\":\"x\"}")
                .header("x-condition", "attribute_not_exists(customer_id)"))
            .response()
            .statusCode());
  }

  @Test
  void aMalformedConditionShouldBeA400NamingThePosition() {
    run(Requests.post("{\"customer_id\":\"q\"}"));
    Outcome outcome =
        run(Requests.patch("q", "{\"set\":{\"a\":1}}").header("x-condition", "price >"));
    assertEquals(400, outcome.response().statusCode());
    assertEquals(
        "Invalid condition expression: expected an attribute, a number or a string at position 8 but found the end",
        message(outcome));
    assertEquals(1, table.items.get("q").version());
  }

  @Test
  void aConditionReadingAValueNoTypedValueHoldsShouldBeA400() {
    // the REST API stores numbers beyond DynamoDB's 38 digits; conditions compare typed values
    run(Requests.post("{\"customer_id\":\"w\",\"huge\":" + "1".repeat(40) + ",\"a\":1}"));
    Outcome outcome =
        run(Requests.patch("w", "{\"set\":{\"a\":2}}").header("x-condition", "huge > 0"));
    assertEquals(400, outcome.response().statusCode());
    assertEquals(
        "Invalid condition expression: the attribute huge holds a value conditions cannot"
            + " compare: Attempting to store more than 38 significant digits in a Number",
        message(outcome));
    assertEquals(1, table.items.get("w").version());

    Outcome other = run(Requests.patch("w", "{\"set\":{\"a\":2}}").header("x-condition", "a = 1"));
    assertEquals(200, other.response().statusCode(), "a condition not reading it is unaffected");
  }

  @Test
  void aRepeatedIdempotencyKeyShouldReplayTheFirstResultWithin24Hours() {
    Requests first =
        Requests.patch("i", "{\"add\":{\"balance\":10}}").header("idempotency-key", "k-1");
    Outcome original = run(first);
    assertEquals(201, original.response().statusCode());
    Outcome replay = run(first);
    assertEquals(original.response().body(), replay.response().body());
    assertEquals(201, replay.response().statusCode());
    assertEquals("true", replay.response().headers().get("idempotent-replayed"));
    assertTrue(replay.changes().isEmpty(), "applied once");
    assertEquals(10, table.items.get("i").item().get("balance").asInt());

    table.now += ItemTable.RECEIPT_LIFETIME.toMillis();
    Outcome later = run(first);
    assertEquals(200, later.response().statusCode(), "after 24 h the key is new again");
    assertEquals(20, table.items.get("i").item().get("balance").asInt());
    assertEquals(
        400,
        run(Requests.post("{\"customer_id\":\"i\"}").header("idempotency-key", ""))
            .response()
            .statusCode());
  }

  @Test
  void aFailedWriteShouldNotBurnItsIdempotencyKey() {
    run(Requests.post("{\"customer_id\":\"f\",\"v\":1}"));
    Requests guarded =
        Requests.patch("f", "{\"set\":{\"v\":2}}")
            .header("idempotency-key", "k")
            .header("if-match", "\"2\"");
    assertEquals(412, run(guarded).response().statusCode());
    run(Requests.patch("f", "{\"set\":{\"w\":1}}"));
    assertEquals(200, run(guarded).response().statusCode(), "the retry is evaluated afresh");
  }

  @Test
  void expiredItemsShouldBeInvisibleAndSweptWithAServiceRemove() {
    InMemoryTable ttl = new InMemoryTable("expires_at", StreamViewType.NEW_AND_OLD_IMAGES);
    long nowSeconds = ttl.now / 1000;
    ttl.handle(
        Requests.post("{\"customer_id\":\"t\",\"expires_at\":" + (nowSeconds + 60) + "}").build());
    assertEquals(1, ttl.ttlIndex.size());
    assertEquals(200, ttl.handle(Requests.get("t").build()).response().statusCode());
    ttl.now += 61_000;
    assertEquals(
        404,
        ttl.handle(Requests.get("t").build()).response().statusCode(),
        "reads never return an expired item");

    List<StreamRecord> swept = ttl.table.expire("t", ttl, ttl);
    assertEquals("REMOVE", swept.get(0).eventName());
    assertEquals(ChangeRecords.TTL, swept.get(0).userIdentity());
    assertTrue(ttl.items.isEmpty());
    assertTrue(ttl.ttlIndex.isEmpty());
    assertTrue(ttl.table.expire("t", ttl, ttl).isEmpty(), "a second sweep finds nothing");
  }

  @Test
  void aWriteOverAnExpiredItemShouldRemoveItFirstThenInsert() {
    InMemoryTable ttl = new InMemoryTable("expires_at", StreamViewType.NEW_AND_OLD_IMAGES);
    ttl.handle(Requests.post("{\"customer_id\":\"w\",\"expires_at\":1}").build());
    Outcome outcome = ttl.handle(Requests.post("{\"customer_id\":\"w\",\"v\":2}").build());
    assertEquals(201, outcome.response().statusCode());
    assertEquals(
        List.of("REMOVE", "INSERT"),
        outcome.changes().stream().map(StreamRecord::eventName).toList());
    assertTrue(
        outcome
                .changes()
                .get(0)
                .dynamodb()
                .sequenceNumber()
                .compareTo(outcome.changes().get(1).dynamodb().sequenceNumber())
            < 0);
    assertTrue(ttl.ttlIndex.isEmpty(), "the new item has no TTL");
  }

  @Test
  void theStreamViewTypeShouldDecideWhichImagesRecordsCarry() {
    InMemoryTable keysOnly = new InMemoryTable("", StreamViewType.KEYS_ONLY);
    keysOnly.handle(Requests.post("{\"customer_id\":\"s\",\"a\":1}").build());
    StreamRecord modify =
        keysOnly.handle(Requests.post("{\"customer_id\":\"s\",\"a\":2}").build()).changes().get(0);
    assertNull(modify.dynamodb().newImage());
    assertNull(modify.dynamodb().oldImage());
    assertEquals("KEYS_ONLY", modify.dynamodb().streamViewType());

    InMemoryTable newOnly = new InMemoryTable("", StreamViewType.NEW_IMAGE);
    newOnly.handle(Requests.post("{\"customer_id\":\"s\",\"a\":1}").build());
    StreamRecord changed =
        newOnly.handle(Requests.post("{\"customer_id\":\"s\",\"a\":2}").build()).changes().get(0);
    assertEquals(2, changed.dynamodb().newImage().get("a").asInt());
    assertNull(changed.dynamodb().oldImage());
  }

  @Test
  void sequenceNumbersShouldIncreaseAndEventIdsBeStable() {
    run(Requests.post("{\"customer_id\":\"z\",\"a\":1}"));
    String first =
        run(Requests.post("{\"customer_id\":\"z\",\"a\":2}"))
            .changes()
            .get(0)
            .dynamodb()
            .sequenceNumber();
    String second =
        run(Requests.post("{\"customer_id\":\"z\",\"a\":3}"))
            .changes()
            .get(0)
            .dynamodb()
            .sequenceNumber();
    assertEquals(21, first.length());
    assertTrue(second.compareTo(first) > 0);
    assertEquals(ChangeContext.eventId("t", 3, first), ChangeContext.eventId("t", 3, first));
  }
}
