package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An API exported from an API Gateway REST API, imported as it is: its Lambda function, written for
 * the payload format 1.0 event, answers through the edge from the fields it always read.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class RestApiPayloadV1Test {

  /** A Lambda-style function that reads only 1.0 fields and answers what it read. */
  static byte[] answerFromV1Fields(JsonNode event) {
    ObjectNode read = Json.MAPPER.createObjectNode();
    read.put("httpMethod", event.path("httpMethod").asText());
    read.put("resource", event.path("resource").asText());
    read.put("path", event.path("path").asText());
    read.set("tags", event.path("multiValueQueryStringParameters").path("tag"));
    read.put("lastTag", event.path("queryStringParameters").path("tag").asText());
    // Names as the client sent them; the JDK client sends them lower-cased.
    event
        .path("multiValueHeaders")
        .properties()
        .forEach(
            h -> {
              if (h.getKey().equalsIgnoreCase("x-multi")) {
                read.set("multi", h.getValue());
              }
            });
    read.put("sourceIp", event.path("requestContext").path("identity").path("sourceIp").asText());
    read.put("stagePath", event.path("requestContext").path("path").asText());
    read.put("resourcePath", event.path("requestContext").path("resourcePath").asText());
    read.put("body", event.path("body").asText());
    return Json.toBytes(
        Map.of(
            "statusCode", 201,
            "headers", Map.of("content-type", "application/json"),
            "body", read.toString()));
  }

  @Test
  void aFunctionWrittenForTheRestApiShouldAnswerFromThe10Event(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(List.of(new NewTopic(prefix + "fn.CreateOrder", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    String export;
    try (InputStream in = getClass().getResourceAsStream("/apis/aws-exported.json")) {
      export = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Edge edge = new Edge(kafka, prefix).start();
        TestFunction function =
            new TestFunction(
                kafka.bootstrapServers(),
                List.of(prefix + "fn.CreateOrder"),
                record -> answerFromV1Fields(WebSocketApiTest.read(record)))) {
      Admin admin = new Admin(edge);
      admin.importApi("orders-api", export);
      admin.deploy("orders-api", "orders-v1");

      HttpResponse<String> response =
          Edge.send(
              HttpRequest.newBuilder(edge.data("/orders-v1/orders?tag=a&tag=b"))
                  .header("X-Multi", "1")
                  .header("X-Multi", "2")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\"}"))
                  .build());

      assertEquals(201, response.statusCode(), response.body());
      JsonNode read = Json.MAPPER.readTree(response.body());
      assertEquals("POST", read.path("httpMethod").asText());
      assertEquals("/orders", read.path("resource").asText());
      assertEquals("/orders", read.path("path").asText(), "the path without the stage");
      assertEquals("/orders-v1/orders", read.path("stagePath").asText());
      assertEquals("/orders", read.path("resourcePath").asText());
      assertEquals(
          List.of("a", "b"),
          List.of(read.get("tags").get(0).asText(), read.get("tags").get(1).asText()));
      assertEquals("b", read.path("lastTag").asText());
      assertEquals(2, read.path("multi").size(), read.toString());
      assertEquals("127.0.0.1", read.path("sourceIp").asText());
      assertEquals("{\"item\":\"book\"}", read.path("body").asText());
    }
  }
}
