package dev.portico.launcher;

import static dev.portico.launcher.FirstRequestEndToEndTest.json;
import static dev.portico.launcher.FirstRequestEndToEndTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every item operation through the edge on a real broker, with what the change stream shows for
 * each: puts, updates, deletes, preconditions, idempotent retries across a restart, and TTL.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class ItemOperationsEndToEndTest {
  TestKafka kafka;
  String prefix;
  Path stateDir;
  Suite suite;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    this.kafka = kafka;
    this.prefix = kafka.freshPrefix();
    this.stateDir = stateDir;
    this.suite =
        new Suite(kafka.bootstrapServers(), prefix, stateDir, 10_000)
            .with("PORTICO_CUSTOMER_TTL_ATTRIBUTE", "expires_at")
            .with("PORTICO_CUSTOMER_TTL_SWEEP_MS", "200")
            .with("PORTICO_CUSTOMER_STREAM_RETENTION_HOURS", "48")
            .start();
  }

  @AfterAll
  void stopSuite() {
    suite.close();
  }

  HttpResponse<String> call(String method, String id, String body, String... headers) {
    String path = id == null ? "/prod/customer" : "/prod/customer/" + id;
    return Http.request(method, suite.url(path), body, headers);
  }

  ChangeStream changes() {
    return new ChangeStream(kafka.bootstrapServers(), Topics.CUSTOMER_CHANGES.name(prefix));
  }

  /** The change records of one item, in stream order. */
  static List<JsonNode> of(List<JsonNode> records, String id) {
    return records.stream()
        .filter(r -> r.at("/dynamodb/Keys/customer_id").asText().equals(id))
        .toList();
  }

  @Test
  void putUpdateAndDeleteShouldEachWriteOneRecordInOrder() throws Exception {
    try (ChangeStream stream = changes()) {
      assertEquals(201, call("PUT", "ops-1", "{\"name\":\"Kim\",\"visits\":1}").statusCode());
      HttpResponse<String> updated =
          call(
              "PATCH",
              "ops-1",
              "{\"add\":{\"visits\":2},\"remove\":[\"name\"]}",
              "x-return-values",
              "UPDATED_NEW");
      assertEquals(200, updated.statusCode(), updated.body());
      assertEquals(json("{\"visits\":3}"), json(updated.body()));
      assertEquals("\"2\"", updated.headers().firstValue("etag").orElseThrow());
      HttpResponse<String> deleted = call("DELETE", "ops-1", null, "x-return-values", "ALL_OLD");
      assertEquals(200, deleted.statusCode());
      assertEquals(json("{\"customer_id\":\"ops-1\",\"visits\":3}"), json(deleted.body()));
      assertEquals(404, call("GET", "ops-1", null).statusCode());

      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> of(stream.awaitRecords(1), "ops-1").size() >= 3);
      List<JsonNode> records = of(stream.awaitRecords(3), "ops-1");
      assertEquals(
          List.of("INSERT", "MODIFY", "REMOVE"),
          records.stream().map(r -> r.get("eventName").asText()).toList());
      assertEquals(
          json("{\"customer_id\":\"ops-1\",\"visits\":3}"),
          records.get(2).at("/dynamodb/OldImage"));
      assertTrue(records.get(2).get("userIdentity").isNull(), "a client delete");
    }
  }

  @Test
  void failedPreconditionsShouldChangeNothingAndWriteNoRecord() throws Exception {
    try (ChangeStream stream = changes()) {
      assertEquals(
          201, call("POST", null, "{\"customer_id\":\"pre-1\",\"price\":100}").statusCode());
      HttpResponse<String> stale =
          call("PATCH", "pre-1", "{\"set\":{\"price\":1}}", "If-Match", "\"9\"");
      assertEquals(412, stale.statusCode());
      assertEquals("The conditional request failed", message(stale));
      HttpResponse<String> refused = call("DELETE", "pre-1", null, "x-condition", "price > 100");
      assertEquals(409, refused.statusCode());
      assertEquals("The conditional request failed", message(refused));
      HttpResponse<String> created =
          call("POST", null, "{\"customer_id\":\"pre-1\"}", "If-None-Match", "*");
      assertEquals(412, created.statusCode());
      HttpResponse<String> malformed = call("DELETE", "pre-1", null, "x-condition", "price >> 1");
      assertEquals(400, malformed.statusCode());
      assertTrue(message(malformed).startsWith("Invalid condition expression"), malformed.body());
      assertEquals(400, call("DELETE", "pre-1", null, "x-return-values", "SOME").statusCode());

      HttpResponse<String> allowed =
          call(
              "PATCH",
              "pre-1",
              "{\"set\":{\"price\":1}}",
              "If-Match",
              "\"1\"",
              "x-condition",
              "price = 100");
      assertEquals(200, allowed.statusCode(), allowed.body());
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> of(stream.awaitRecords(1), "pre-1").size() >= 2);
      List<JsonNode> records = of(stream.awaitRecords(2), "pre-1");
      assertEquals(
          2,
          records.size(),
          "the INSERT and the one allowed MODIFY: refused writes left no record");
      assertEquals(1, records.get(1).at("/dynamodb/NewImage/price").asInt());
    }
  }

  @Test
  void anIdempotentRetryShouldApplyOnceEvenAfterARestartWithLocalStateGone() throws Exception {
    String[] key = {"Idempotency-Key", "deposit-42"};
    HttpResponse<String> first = call("PATCH", "idem-1", "{\"add\":{\"balance\":10}}", key);
    assertEquals(201, first.statusCode(), first.body());

    suite.stopCustomers();
    FirstRequestEndToEndTest.deleteRecursively(stateDir);
    suite.startCustomers();

    HttpResponse<String> retry = call("PATCH", "idem-1", "{\"add\":{\"balance\":10}}", key);
    assertEquals(201, retry.statusCode(), "the first result, replayed");
    assertEquals("true", retry.headers().firstValue("idempotent-replayed").orElseThrow());
    assertEquals(json(first.body()), json(retry.body()));
    assertEquals(10, json(call("GET", "idem-1", null).body()).get("balance").asInt());
  }

  @Test
  void anExpiredItemShouldVanishAndBeRemovedByTheServiceWithinTheSweepBound() throws Exception {
    try (ChangeStream stream = changes()) {
      long soon = System.currentTimeMillis() / 1000 + 1;
      assertEquals(
          201,
          call("POST", null, "{\"customer_id\":\"ttl-1\",\"expires_at\":" + soon + "}")
              .statusCode());
      Awaitility.await()
          .atMost(15, TimeUnit.SECONDS)
          .until(() -> of(stream.awaitRecords(1), "ttl-1").size() >= 2);
      JsonNode remove = of(stream.awaitRecords(2), "ttl-1").get(1);
      assertEquals("REMOVE", remove.get("eventName").asText());
      assertEquals("Service", remove.at("/userIdentity/type").asText());
      assertEquals("portico:ttl", remove.at("/userIdentity/principalId").asText());
      assertEquals(404, call("GET", "ttl-1", null).statusCode());
    }
  }

  /**
   * Follows nextCursor to the end, restarting customer-service after {@code restartAfter} pages.
   */
  List<String> scanAll(String filter, int limit, int restartAfter) throws Exception {
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 500; page++) {
      if (page == restartAfter) {
        suite.stopCustomers();
        suite.startCustomers();
      }
      String query =
          "?limit="
              + limit
              + "&filter="
              + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8)
              + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> response =
          Http.request("GET", suite.url("/prod/customer" + query), null);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = json(response.body());
      body.get("items").forEach(item -> seen.add(item.get("customer_id").asText()));
      if (!body.has("nextCursor")) {
        return seen;
      }
      cursor = body.get("nextCursor").asText();
    }
    throw new AssertionError("the scan did not end");
  }

  @Test
  void aScanShouldReturnEveryItemOnceAcrossPartitionsAndARestart() throws Exception {
    java.util.Set<String> expected = new java.util.TreeSet<>();
    for (int i = 0; i < 30; i++) {
      String id = "scan-" + i;
      expected.add(id);
      assertEquals(201, call("PUT", id, "{\"n\":" + i + "}").statusCode());
    }
    List<String> seen = scanAll("begins_with(customer_id, 'scan-')", 7, 3);
    assertEquals(expected.size(), seen.size(), "no item twice: " + seen);
    assertEquals(expected, new java.util.TreeSet<>(seen));
  }

  @Test
  void aScanShouldSeeEveryWriteAcknowledgedBeforeIt() throws Exception {
    assertEquals(201, call("PUT", "fresh-1", "{\"n\":1}").statusCode());
    assertEquals(List.of("fresh-1"), scanAll("begins_with(customer_id, 'fresh-')", 1000, -1));
    assertEquals(204, call("DELETE", "fresh-1", null).statusCode());
    assertEquals(List.of(), scanAll("begins_with(customer_id, 'fresh-')", 1000, -1));
  }

  @Test
  void theChangeStreamShouldKeepTheConfiguredRetention() throws Exception {
    String topic = Topics.CUSTOMER_CHANGES.name(prefix);
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      String retention =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get()
              .get(resource)
              .get("retention.ms")
              .value();
      assertEquals(Long.toString(java.time.Duration.ofHours(48).toMillis()), retention);
    }
  }

  @Test
  void badScanParametersShouldBe400s() throws Exception {
    assertEquals(
        400, Http.request("GET", suite.url("/prod/customer?limit=1001"), null).statusCode());
    HttpResponse<String> cursor =
        Http.request("GET", suite.url("/prod/customer?cursor=bogus"), null);
    assertEquals(400, cursor.statusCode());
    assertEquals("Invalid cursor: pass back a nextCursor unchanged", message(cursor));
  }
}
