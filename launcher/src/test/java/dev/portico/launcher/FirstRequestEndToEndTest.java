package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source lab's request, end to end on a real broker: edge -> commands topic -> customer-service
 * (exactly-once Streams store) -> reply -> edge, and the change stream.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class FirstRequestEndToEndTest {
  static final String LAB_ITEM =
      "{\"customer_id\":\"1230AWS\",\"customer_name\":\"KilDong\",\"product_name\":\"laptop\",\"price\":990000}";

  Path stateDir;
  TestKafka kafka;
  String prefix;
  Suite suite;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    this.kafka = kafka;
    this.stateDir = stateDir;
    this.prefix = kafka.freshPrefix();
    this.suite = new Suite(kafka.bootstrapServers(), prefix, stateDir, 10_000).start();
  }

  @AfterAll
  void stopSuite() {
    suite.close();
  }

  @Test
  void shouldStoreTheLabItemAndEmitInsertThenModify() throws Exception {
    try (ChangeStream changes =
        new ChangeStream(kafka.bootstrapServers(), Topics.CUSTOMER_CHANGES.name(prefix))) {
      HttpResponse<String> created = Http.postJson(suite.url("/prod/customer"), LAB_ITEM);
      assertEquals(201, created.statusCode(), created.body());
      assertEquals(json(LAB_ITEM), json(created.body()));
      assertEquals("\"1\"", created.headers().firstValue("etag").orElseThrow());
      assertTrue(created.headers().firstValue("x-portico-request-id").isPresent());

      HttpResponse<String> read = Http.get(suite.url("/prod/customer/1230AWS"));
      assertEquals(200, read.statusCode());
      assertEquals(json(LAB_ITEM), json(read.body()));

      HttpResponse<String> same = Http.postJson(suite.url("/prod/customer"), LAB_ITEM);
      assertEquals(200, same.statusCode(), "a put of an identical item is a no-op");
      assertEquals("\"1\"", same.headers().firstValue("etag").orElseThrow());

      String changed = LAB_ITEM.replace("990000", "890000");
      HttpResponse<String> modified = Http.postJson(suite.url("/prod/customer"), changed);
      assertEquals(200, modified.statusCode(), modified.body());
      assertEquals("\"2\"", modified.headers().firstValue("etag").orElseThrow());

      List<JsonNode> records = changes.awaitRecords(2);
      assertEquals(2, records.size(), "one record per effective change, none for the no-op");
      JsonNode insert = records.get(0);
      assertEquals("INSERT", insert.get("eventName").asText());
      assertEquals("1.1", insert.get("eventVersion").asText());
      assertEquals("portico:customer-service", insert.get("eventSource").asText());
      assertEquals(json(LAB_ITEM), insert.at("/dynamodb/NewImage"));
      assertTrue(insert.at("/dynamodb/OldImage").isNull());
      assertEquals("1230AWS", insert.at("/dynamodb/Keys/customer_id").asText());
      assertEquals("NEW_AND_OLD_IMAGES", insert.at("/dynamodb/StreamViewType").asText());
      JsonNode modify = records.get(1);
      assertEquals("MODIFY", modify.get("eventName").asText());
      assertEquals(json(LAB_ITEM), modify.at("/dynamodb/OldImage"));
      assertEquals(json(changed), modify.at("/dynamodb/NewImage"));
      String first = insert.at("/dynamodb/SequenceNumber").asText();
      String second = modify.at("/dynamodb/SequenceNumber").asText();
      assertEquals(first.length(), second.length());
      assertTrue(second.compareTo(first) > 0, "sequence numbers increase per item");
    }
  }

  @Test
  void shouldRejectMalformedJsonWithAMessage() throws Exception {
    HttpResponse<String> response = Http.postJson(suite.url("/prod/customer"), "{\"customer_id\":");
    assertEquals(400, response.statusCode());
    assertTrue(message(response).startsWith("Malformed JSON"), response.body());
  }

  @Test
  void shouldRejectAMissingOrNonStringKey() throws Exception {
    HttpResponse<String> missing =
        Http.postJson(suite.url("/prod/customer"), "{\"customer_name\":\"KilDong\"}");
    assertEquals(400, missing.statusCode());
    assertEquals("Missing the key attribute customer_id", message(missing));

    HttpResponse<String> number =
        Http.postJson(suite.url("/prod/customer"), "{\"customer_id\":1230}");
    assertEquals(400, number.statusCode());
    assertEquals("The key attribute customer_id must be a string", message(number));

    HttpResponse<String> array = Http.postJson(suite.url("/prod/customer"), "[1,2]");
    assertEquals(400, array.statusCode());
    assertEquals("The request body must be a JSON object", message(array));
  }

  @Test
  void shouldAnswer404ForAnUnknownItem() throws Exception {
    HttpResponse<String> response = Http.get(suite.url("/prod/customer/nobody-has-this-id"));
    assertEquals(404, response.statusCode());
    assertEquals(json("{\"message\":\"Item not found\"}"), json(response.body()));
  }

  @Test
  void shouldAnswerMissingAuthenticationTokenForAnUnknownRoute() throws Exception {
    HttpResponse<String> response = Http.get(suite.url("/prod/orders"));
    assertEquals(403, response.statusCode());
    assertEquals(json("{\"message\":\"Missing Authentication Token\"}"), json(response.body()));
    assertEquals(
        "MissingAuthenticationTokenException",
        response.headers().firstValue("x-portico-error-type").orElseThrow());
  }

  @Test
  void shouldAnswerNotFoundForAnUnknownStage() throws Exception {
    HttpResponse<String> response = Http.get(suite.url("/staging/customer/1230AWS"));
    assertEquals(404, response.statusCode());
    assertEquals(json("{\"message\":\"Not Found\"}"), json(response.body()));
  }

  @Test
  void shouldKeepItemsWhenCustomerServiceRestartsWithItsLocalStateGone() throws Exception {
    String item = "{\"customer_id\":\"restart-1\",\"customer_name\":\"Kim\",\"price\":1}";
    assertEquals(201, Http.postJson(suite.url("/prod/customer"), item).statusCode());

    suite.stopCustomers();
    deleteRecursively(stateDir);
    suite.startCustomers();

    HttpResponse<String> read = Http.get(suite.url("/prod/customer/restart-1"));
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(json(item), json(read.body()));
    assertEquals("\"1\"", read.headers().firstValue("etag").orElseThrow());
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static String message(HttpResponse<String> response) throws Exception {
    JsonNode message = json(response.body()).get("message");
    assertNotNull(message, response.body());
    return message.asText();
  }

  static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .forEach(p -> p.toFile().delete());
    }
  }
}
