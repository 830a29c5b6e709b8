package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
 * A team table's stream out of stream-service: a WebSocket client subscribed to {@code
 * tables/Orders} and to one item's {@code tables/Orders/c1/1} gets the table's changes (written
 * with the AWS SDK) and that item's only; a trigger rule naming the table publishes one
 * notification for the one matching INSERT.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class TableChannelsEndToEndTest {

  @Test
  void shouldSendATeamTablesChangesToItsChannelsAndRunItsTriggers(
      TestKafka kafka, @TempDir Path stateDir) throws Exception {
    String prefix = kafka.freshPrefix();
    try (Suite suite = new Suite(kafka.bootstrapServers(), prefix, stateDir, 10_000).start();
        ChangeStream notifications =
            new ChangeStream(kafka.bootstrapServers(), Topics.NOTIFICATION_MESSAGES.name(prefix))) {
      Map<String, String> env = new HashMap<>(suite.env);
      int streamPort = FreePorts.next();
      env.put("PORTICO_STREAM_PORT", Integer.toString(streamPort));
      StreamService stream =
          new StreamService(suite.vertx, StreamConfig.read(new ConfigReader(env)));
      Suite.await(stream.start());
      try (DynamoDbClient dynamo = suite.dynamoClient()) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(stream::isReady);
        HttpResponse<String> rule =
            Http.request(
                "PUT",
                "http://127.0.0.1:" + streamPort + "/triggers/order-placed",
                """
                {"table": "Orders", "on": ["INSERT"], "filter": {"attribute": "total", "exists": true},
                 "action": {"publish": {"topic": "orders", "subject": "Order of ${Keys.customer}",
                                        "body": "${NewImage.customer} paid ${NewImage.total}"}}}""");
        assertEquals(200, rule.statusCode(), rule.body());
        createOrders(dynamo);

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = connect(suite, frames);
        for (String channel : List.of("tables/Orders", "tables/Orders/c1/1")) {
          socket.sendText("{\"action\":\"subscribe\",\"channel\":\"" + channel + "\"}", true);
          JsonNode ack = LiveChannelEndToEndTest.next(frames);
          assertEquals("subscribed", ack.path("type").asText(), ack.toString());
        }

        dynamo.putItem(
            b ->
                b.tableName("Orders")
                    .item(Map.of("customer", s("c1"), "placed_at", n("1"), "total", n("12.50"))));
        dynamo.putItem(
            b -> b.tableName("Orders").item(Map.of("customer", s("c2"), "placed_at", n("5"))));
        dynamo.updateItem(
            b ->
                b.tableName("Orders")
                    .key(Map.of("customer", s("c1"), "placed_at", n("1")))
                    .updateExpression("SET total = :t")
                    .expressionAttributeValues(Map.of(":t", n("13"))));

        List<JsonNode> received = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          received.add(LiveChannelEndToEndTest.next(frames));
        }
        assertNull(frames.poll(2, TimeUnit.SECONDS), "no other frame");
        Map<String, List<String>> byChannel =
            received.stream()
                .collect(
                    Collectors.groupingBy(
                        f -> f.path("channel").asText(),
                        Collectors.mapping(
                            TableChannelsEndToEndTest::describe, Collectors.toList())));
        // One item's changes, in order; the table's, in order per item.
        assertEquals(
            List.of("INSERT c1 12.5", "MODIFY c1 13"), byChannel.get("tables/Orders/c1/1"));
        List<String> table = byChannel.get("tables/Orders");
        assertEquals(Set.of("INSERT c1 12.5", "INSERT c2 -", "MODIFY c1 13"), Set.copyOf(table));
        assertEquals(3, table.size());
        assertEquals(
            List.of("INSERT c1 12.5", "MODIFY c1 13"),
            table.stream().filter(d -> d.contains(" c1 ")).toList());
        socket.abort();

        List<JsonNode> sent = notifications.awaitRecords(1);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals("c1 paid 12.5", sent.get(0).path("message").asText());
        assertEquals("Order of c1", sent.get(0).path("subject").asText());
        assertEquals("orders", sent.get(0).path("topicName").asText());
      } finally {
        Suite.await(stream.stop());
      }
    }
  }

  /** "INSERT c1 12.5": the event, the item's customer and total (typed images, as written). */
  private static String describe(JsonNode frame) {
    JsonNode record = frame.path("data");
    JsonNode image = record.path("dynamodb").path("NewImage");
    return record.path("eventName").asText()
        + " "
        + image.path("customer").path("S").asText()
        + " "
        + image.path("total").path("N").asText("-");
  }

  private static void createOrders(DynamoDbClient dynamo) {
    dynamo.createTable(
        b ->
            b.tableName("Orders")
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("customer")
                        .attributeType(ScalarAttributeType.S)
                        .build(),
                    AttributeDefinition.builder()
                        .attributeName("placed_at")
                        .attributeType(ScalarAttributeType.N)
                        .build())
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName("customer")
                        .keyType(KeyType.HASH)
                        .build(),
                    KeySchemaElement.builder()
                        .attributeName("placed_at")
                        .keyType(KeyType.RANGE)
                        .build())
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(
                    StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_IMAGE)
                        .build()));
  }

  private static WebSocket connect(Suite suite, BlockingQueue<String> frames) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(
            URI.create("ws://127.0.0.1:" + suite.edge.dataPort() + "/prod"),
            new WebSocket.Listener() {
              final StringBuilder partial = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                  frames.add(partial.toString());
                  partial.setLength(0);
                }
                ws.request(1);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }
}
