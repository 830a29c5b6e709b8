package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.runtime.ConfigReader;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * A team table's stream read through stream-service's {@code /streams/{table}/...} with plain HTTP
 * calls, as curl would: tables created and written with the AWS SDK through the edge and the table
 * service, on a real broker; exactly the table's INSERT, MODIFY and REMOVE records come back, in
 * order, with their typed images, with page limits 1 and 1000; another table's records never;
 * unknown tables, tables without a stream and deleted tables are 404.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class TableStreamReadingEndToEndTest {
  private String base;

  @Test
  void shouldReadATeamTablesChangesThroughTheStreamApi(TestKafka kafka, @TempDir Path stateDir) {
    try (Suite suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start()) {
      Map<String, String> env = new HashMap<>(suite.env);
      int port = FreePorts.next();
      env.put("PORTICO_STREAM_PORT", Integer.toString(port));
      base = "http://127.0.0.1:" + port + "/streams/";
      StreamService stream =
          new StreamService(suite.vertx, StreamConfig.read(new ConfigReader(env)));
      Suite.await(stream.start());
      try (DynamoDbClient dynamo = suite.dynamoClient()) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(stream::isReady);
        create(dynamo, "Orders", StreamViewType.NEW_AND_OLD_IMAGES);
        create(dynamo, "Invoices", StreamViewType.NEW_IMAGE);
        create(dynamo, "Plain", null);

        Map<String, AttributeValue> c1 = Map.of("id", s("c1"));
        dynamo.putItem(b -> b.tableName("Orders").item(Map.of("id", s("c1"), "total", n("12.50"))));
        dynamo.putItem(b -> b.tableName("Invoices").item(Map.of("id", s("c1"), "due", n("3"))));
        dynamo.putItem(
            b -> b.tableName("Orders").item(Map.of("id", s("c1"), "total", n("12.50")))); // same
        dynamo.updateItem(
            b ->
                b.tableName("Orders")
                    .key(c1)
                    .updateExpression("SET total = :t, tags = :g")
                    .expressionAttributeValues(
                        Map.of(":t", n("13"), ":g", AttributeValue.fromSs(List.of("a", "b")))));
        dynamo.putItem(b -> b.tableName("Plain").item(Map.of("id", s("c1"))));
        dynamo.putItem(b -> b.tableName("Orders").item(Map.of("id", s("c2"))));
        dynamo.putItem(b -> b.tableName("Invoices").item(Map.of("id", s("c2"), "due", n("4"))));
        dynamo.deleteItem(b -> b.tableName("Orders").key(c1));
        dynamo.deleteItem(b -> b.tableName("Orders").key(c1)); // gone already: no record

        String ordersArn =
            dynamo.describeTable(b -> b.tableName("Orders")).table().latestStreamArn();
        List<String> expected =
            List.of(
                "INSERT c1 old=- new=12.5",
                "MODIFY c1 old=12.5 new=13 [a, b]",
                "REMOVE c1 old=13 [a, b] new=-",
                "INSERT c2 old=- new=-");
        // Changes committed a moment ago become visible once their transaction markers land.
        Awaitility.await()
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> readAll("Orders", 1000).size() >= expected.size());
        for (int limit : new int[] {1, 1000}) {
          List<JsonNode> records = readAll("Orders", limit);
          assertEquals(expected, byItemInOrder(records), "limit " + limit);
          records.forEach(r -> assertEquals(ordersArn, r.path("eventSourceARN").asText()));
        }
        assertEquals(
            List.of("INSERT c1 old=- new=-", "INSERT c2 old=- new=-"),
            byItemInOrder(readAll("Invoices", 1)));

        // 404 in the API's error shape: no such table, a table without a stream.
        assertNotFound(Http.get(base + "Nope/shards"), "Table Nope does not exist");
        assertNotFound(Http.get(base + "Plain/shards"), "Table Plain has no stream");
        assertNotFound(
            Http.postJson(
                base + "Plain/iterators",
                "{\"shardId\": \"shardId-000000000000\", \"type\": \"TRIM_HORIZON\"}"),
            "has no stream");
        // An iterator of Orders does not read Invoices.
        HttpResponse<String> foreign =
            Http.get(base + "Invoices/records?iterator=" + iterator("Orders", 0));
        assertEquals(400, foreign.statusCode(), foreign.body());
        assertTrue(foreign.body().contains("Invalid shard iterator"), foreign.body());
        // The bundled customers table's stream is still served.
        assertEquals(200, Http.get(base + "customers/shards").statusCode());

        String invoicesIterator = iterator("Invoices", 0);
        dynamo.deleteTable(b -> b.tableName("Invoices"));
        Awaitility.await()
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> Http.get(base + "Invoices/shards").statusCode() == 404);
        assertNotFound(Http.get(base + "Invoices/shards"), "Table Invoices does not exist");
        assertNotFound(
            Http.get(base + "Invoices/records?iterator=" + invoicesIterator),
            "Table Invoices does not exist");
      } finally {
        Suite.await(stream.stop());
      }
    }
  }

  private static void create(DynamoDbClient dynamo, String name, StreamViewType view) {
    dynamo.createTable(
        b -> {
          b.tableName(name)
              .attributeDefinitions(
                  AttributeDefinition.builder()
                      .attributeName("id")
                      .attributeType(ScalarAttributeType.S)
                      .build())
              .keySchema(
                  KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
              .billingMode("PAY_PER_REQUEST");
          if (view != null) {
            b.streamSpecification(
                StreamSpecification.builder().streamEnabled(true).streamViewType(view).build());
          }
        });
  }

  /** Every record of a table's stream: each shard from TRIM_HORIZON to an empty page. */
  private List<JsonNode> readAll(String table, int limit) {
    List<JsonNode> all = new ArrayList<>();
    JsonNode shards = ok(Http.get(base + table + "/shards"));
    assertEquals(table, shards.path("stream").asText());
    for (JsonNode shard : shards.path("shards")) {
      String at = iterator(table, shard.path("partition").asInt());
      while (true) {
        JsonNode page = ok(Http.get(base + table + "/records?iterator=" + at + "&limit=" + limit));
        JsonNode records = page.path("records");
        assertTrue(records.size() <= limit, "page of " + records.size() + " over " + limit);
        if (records.isEmpty()) {
          break;
        }
        records.forEach(all::add);
        at = page.path("nextShardIterator").asText();
      }
    }
    return all;
  }

  private String iterator(String table, int partition) {
    return ok(Http.postJson(
            base + table + "/iterators",
            String.format(
                "{\"shardId\": \"shardId-%012d\", \"type\": \"TRIM_HORIZON\"}", partition)))
        .path("shardIterator")
        .asText();
  }

  /**
   * "MODIFY c1 old=12.5 new=13 [a, b]": the event, the item, and the typed images' total (and
   * tags), grouped by item (an item's records are in order; items may be on different shards).
   */
  private static List<String> byItemInOrder(List<JsonNode> records) {
    Map<String, List<String>> byItem = new java.util.TreeMap<>();
    for (JsonNode r : records) {
      JsonNode change = r.path("dynamodb");
      String id = change.path("Keys").path("id").path("S").asText();
      byItem
          .computeIfAbsent(id, k -> new ArrayList<>())
          .add(
              r.path("eventName").asText()
                  + " "
                  + id
                  + " old="
                  + image(change.path("OldImage"))
                  + " new="
                  + image(change.path("NewImage")));
    }
    return byItem.values().stream().flatMap(List::stream).toList();
  }

  private static String image(JsonNode image) {
    String total = image.path("total").path("N").asText("-");
    JsonNode tags = image.path("tags").path("SS");
    return tags.isArray() ? total + " " + Json.MAPPER.convertValue(tags, List.class) : total;
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return parse(response.body());
  }

  private static void assertNotFound(HttpResponse<String> response, String text) {
    assertEquals(404, response.statusCode(), response.body());
    assertEquals(
        "ResourceNotFoundException",
        response.headers().firstValue("x-portico-error-type").orElse(null));
    JsonNode body = parse(response.body());
    assertEquals("ResourceNotFoundException", body.path("type").asText());
    assertTrue(body.path("message").asText().contains(text), response.body());
  }

  private static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }
}
