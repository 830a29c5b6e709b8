package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractsTest {

  static FunctionRequest request() {
    return new FunctionRequest(
        FunctionRequest.VERSION,
        "POST /customer",
        "/prod/customer",
        "a=1",
        Map.of("content-type", "application/json"),
        Map.of("a", "1"),
        Map.of("customer_id", "1230AWS"),
        Map.of("alias", "prod"),
        "{\"customer_id\":\"1230AWS\"}",
        false,
        new FunctionRequest.RequestContext(
            "customer-api",
            "prod",
            "req-1",
            "POST /customer",
            new FunctionRequest.Http("POST", "/prod/customer", "HTTP/1.1", "127.0.0.1", "curl"),
            new FunctionRequest.Authorizer(Map.of("sub", "u1"), "key-1"),
            "21/Nov/2026:10:00:00 +0000",
            1_795_000_000_000L));
  }

  static StreamRecord change() {
    JsonNode image =
        Json.MAPPER.createObjectNode().put("customer_id", "1230AWS").put("price", 990000);
    return new StreamRecord(
        "9b2f",
        StreamRecord.INSERT,
        StreamRecord.EVENT_VERSION,
        "portico:customer-service",
        new StreamRecord.Change(
            1_763_750_000L,
            Json.MAPPER.createObjectNode().put("customer_id", "1230AWS"),
            image,
            null,
            "000000000000000000123",
            112,
            "NEW_AND_OLD_IMAGES"),
        null);
  }

  @Test
  void everyMessageRecordShouldRoundTripThroughJson() {
    List<Object> messages =
        List.of(
            request(),
            new FunctionResponse(201, Map.of("etag", "\"1\""), "{}", false),
            new FunctionResponse(200, Map.of(), "aGk=", true),
            change(),
            new StreamRecord.UserIdentity("Service", "portico:ttl"));
    for (Object message : messages) {
      Object back = Json.fromBytes(Json.toBytes(message), message.getClass());
      assertEquals(message, back, message.getClass().getSimpleName());
    }
  }

  @Test
  void anAuthorizerEventShouldReadBackAsOneAndCarryApiGatewaysFieldNames() throws Exception {
    AuthorizerRequest event =
        AuthorizerRequest.of(
            request(),
            "GET /x",
            "arn:portico:execute-api:local:portico:a/prod/GET/x",
            List.of("t1"));
    byte[] bytes = Json.toBytes(event);
    JsonNode json = Json.MAPPER.readTree(bytes);
    assertEquals("REQUEST", json.path("type").asText());
    assertEquals("2.0", json.path("version").asText());
    assertEquals("t1", json.path("identitySource").path(0).asText());
    assertEquals(json.path("routeArn"), json.path("methodArn"));
    assertTrue(json.path("body").isMissingNode(), "an authorizer never gets the body");
    assertEquals(event, FunctionEvent.CODEC.decode(null, bytes));
    assertEquals(
        FunctionRequest.class,
        FunctionEvent.CODEC.decode(null, Json.toBytes(request())).getClass());
  }

  @Test
  void anAuthorizerFunctionsContextShouldSitBesidePrincipalIdInTheV1EventAndUnderLambdaInV2()
      throws Exception {
    var v1 = new FunctionRequestV1.Authorizer(null, "user-1", Map.of("tenant", "acme", "tier", 2));
    JsonNode json = Json.MAPPER.readTree(Json.toBytes(v1));
    assertEquals("user-1", json.path("principalId").asText());
    assertEquals("acme", json.path("tenant").asText());
    assertEquals(2, json.path("tier").asInt());
    assertTrue(json.path("context").isMissingNode());
    assertEquals(v1, Json.fromBytes(Json.toBytes(v1), FunctionRequestV1.Authorizer.class));
    var v2 = new FunctionRequest.Authorizer(null, null, "user-1", Map.of("tenant", "acme"));
    JsonNode json2 = Json.MAPPER.readTree(Json.toBytes(v2));
    assertEquals("acme", json2.path("lambda").path("tenant").asText());
    assertEquals("user-1", json2.path("principalId").asText());
  }

  @Test
  void streamRecordsShouldUseTheDynamoDbFieldNames() throws Exception {
    JsonNode json = Json.MAPPER.readTree(Json.toBytes(change()));
    for (String field :
        List.of(
            "ApproximateCreationDateTime",
            "Keys",
            "NewImage",
            "OldImage",
            "SequenceNumber",
            "SizeBytes",
            "StreamViewType")) {
      assertTrue(json.get("dynamodb").has(field), field);
    }
    assertTrue(json.get("dynamodb").get("OldImage").isNull(), "OldImage is written as null");
    assertTrue(json.has("userIdentity"));
  }

  @Test
  void theFunctionProtocolShouldSpellIsBase64EncodedLikeLambda() throws Exception {
    JsonNode json = Json.MAPPER.readTree(Json.toBytes(request()));
    assertTrue(json.has("isBase64Encoded"));
    assertEquals("customer-api", json.at("/requestContext/apiId").asText());
  }

  @Test
  void theTopicRegistryShouldHaveNoDuplicateNames() {
    Set<String> names = new HashSet<>();
    for (Topic<?> topic : Topics.all()) {
      assertTrue(names.add(topic.suffix()), "duplicate topic " + topic.suffix());
      assertTrue(topic.suffix().matches("[a-z0-9.-]+"), topic.suffix());
      assertTrue(!topic.producer().isBlank() && !topic.consumers().isEmpty(), topic.suffix());
    }
  }

  @Test
  void theSerdeShouldRoundTripAndReportTheTypeItCouldNotRead() {
    JsonSerde<FunctionRequest> serde = Topics.CUSTOMER_COMMANDS.valueSerde();
    assertEquals(request(), serde.deserialize("t", serde.serialize("t", request())));
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.apache.kafka.common.errors.SerializationException.class,
            () -> serde.deserialize("t", "not json".getBytes()));
    assertTrue(error.getMessage().contains("FunctionRequest"));
  }
}
