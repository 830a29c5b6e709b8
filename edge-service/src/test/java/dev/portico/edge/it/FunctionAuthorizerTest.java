package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.function.PorticoFunction;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authorizer functions through the edge, with a real authorizer written on the Java function SDK
 * answering over the real function protocol on a real broker: allow (with its context reaching the
 * integration in both payload formats), deny, a missing identity source, an authorizer that does
 * not answer in time or answers garbage, and a WebSocket {@code $connect} it refuses.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class FunctionAuthorizerTest {
  Edge edge;
  PorticoFunction authorizer;
  TestFunction echo;

  /**
   * The authorizer: the token (header, or {@code token} query parameter on a WebSocket connect)
   * says what to answer; the tenant comes back in the context.
   */
  static FunctionResponse authorize(FunctionRequest event) {
    String token = event.headers() == null ? null : event.headers().get("authorization");
    if (token == null && event.queryStringParameters() != null) {
      token = event.queryStringParameters().get("token");
    }
    String tenant =
        event.queryStringParameters() == null
            ? "none"
            : event.queryStringParameters().getOrDefault("tenant", "none");
    String context = "{\"tenant\":\"" + tenant + "\",\"tier\":2}";
    String verdict =
        switch (String.valueOf(token)) {
          case "allow" ->
              "{\"isAuthorized\":true,\"principalId\":\"user-"
                  + tenant
                  + "\",\"context\":"
                  + context
                  + "}";
          case "policy" ->
              "{\"principalId\":\"user-"
                  + tenant
                  + "\",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":"
                  + "\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":\"*/GET/who\"}]},"
                  + "\"context\":"
                  + context
                  + "}";
          case "garbage" -> "this is not a verdict";
          default -> "{\"isAuthorized\":false}";
        };
    return FunctionResponse.json(200, verdict, Map.of());
  }

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(prefix + "fn.auth", 2, (short) 1),
                  new NewTopic(prefix + "fn.silent", 1, (short) 1),
                  new NewTopic(prefix + "fn.who", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    authorizer =
        PorticoFunction.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .topic(prefix + "fn.auth")
            .groupId(prefix + "auth")
            .handler((request, context) -> authorize(request))
            .build()
            .start();
    // The integration answers with the requestContext.authorizer it was given.
    echo =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.who"),
            r -> {
              try {
                JsonNode event = Json.MAPPER.readTree(r.value());
                String body =
                    Json.MAPPER
                        .createObjectNode()
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                            "authorizer", event.path("requestContext").path("authorizer"))
                        .set("headers", event.path("headers"))
                        .toString();
                return Json.toBytes(new FunctionResponse(200, Map.of(), body, false));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    edge = new Edge(kafka, prefix).start();
    new Admin(edge)
        .importApi(
            "guarded",
            """
            openapi: 3.0.3
            info: {title: guarded}
            components:
              securitySchemes:
                fn:
                  type: apiKey
                  in: header
                  name: authorization
                  x-portico-authorizer:
                    type: function
                    topic: ${portico.topicPrefix}fn.auth
                    identitySource: [$request.header.Authorization, $request.querystring.tenant]
                    resultTtlSeconds: 0
                ws:
                  type: apiKey
                  in: query
                  name: token
                  x-portico-authorizer:
                    type: function
                    topic: ${portico.topicPrefix}fn.auth
                    identitySource: $request.querystring.token
                silent:
                  type: apiKey
                  in: header
                  name: authorization
                  x-portico-authorizer:
                    type: function
                    topic: ${portico.topicPrefix}fn.silent
                    identitySource: [$request.header.Authorization]
                    timeoutMs: 300
            paths:
              /who:
                get:
                  security: [{fn: []}]
                  x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.who"}
              /who-v1:
                get:
                  security: [{fn: []}]
                  x-portico-integration:
                    type: kafka
                    topic: "${portico.topicPrefix}fn.who"
                    payloadFormatVersion: "1.0"
              /who-mapped:
                get:
                  security: [{fn: []}]
                  x-portico-integration:
                    type: kafka
                    topic: "${portico.topicPrefix}fn.who"
                    requestParameters:
                      overwrite:header.x-tenant: $context.authorizer.tenant
                      overwrite:header.x-principal: $context.authorizer.principalId
              /slow:
                get:
                  security: [{silent: []}]
                  x-portico-integration: {type: mock, body: never}
            x-portico-websocket:
              routes:
                $connect:
                  security: [{ws: []}]
                  x-portico-integration: {type: mock}
                $default:
                  x-portico-integration: {type: mock, body: hi}
                  routeResponse: true
            """);
    new Admin(edge).deploy("guarded", "guarded");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    authorizer.close();
    echo.close();
  }

  HttpResponse<String> get(String path, String token) {
    return token == null ? edge.get(path) : edge.request("GET", path, null, "authorization", token);
  }

  @Test
  void shouldForwardAnAllowingAuthorizersPrincipalAndContextToTheIntegration() throws Exception {
    HttpResponse<String> v2 = get("/guarded/who?tenant=acme", "allow");
    assertEquals(200, v2.statusCode(), v2.body());
    JsonNode authorizer = Json.MAPPER.readTree(v2.body()).path("authorizer");
    assertEquals("user-acme", authorizer.path("principalId").asText());
    assertEquals("acme", authorizer.path("lambda").path("tenant").asText());
    assertEquals(2, authorizer.path("lambda").path("tier").asInt());

    HttpResponse<String> v1 = get("/guarded/who-v1?tenant=acme", "allow");
    assertEquals(200, v1.statusCode(), v1.body());
    JsonNode flat = Json.MAPPER.readTree(v1.body()).path("authorizer");
    assertEquals("user-acme", flat.path("principalId").asText());
    assertEquals("acme", flat.path("tenant").asText(), "REST functions read the keys beside it");
  }

  @Test
  void shouldLetAParameterMappingReadTheAuthorizersContext() throws Exception {
    HttpResponse<String> r = get("/guarded/who-mapped?tenant=globex", "allow");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode headers = Json.MAPPER.readTree(r.body()).path("headers");
    assertEquals("globex", headers.path("x-tenant").asText(), r.body());
    assertEquals("user-globex", headers.path("x-principal").asText(), r.body());
  }

  @Test
  void shouldApplyAnIamPolicyVerdictToTheRouteItIsFor() {
    assertEquals(200, get("/guarded/who?tenant=acme", "policy").statusCode());
    HttpResponse<String> other = get("/guarded/who-v1?tenant=acme", "policy");
    assertEquals(403, other.statusCode(), "the policy allows GET /who only");
  }

  @Test
  void shouldAnswer403WhenTheAuthorizerDenies() {
    HttpResponse<String> r = get("/guarded/who?tenant=acme", "deny");
    assertEquals(403, r.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", r.body());
    assertEquals(
        "AccessDeniedException", r.headers().firstValue("x-portico-error-type").orElseThrow());
  }

  @Test
  void shouldAnswer401WhenAnIdentitySourceIsMissing() {
    for (HttpResponse<String> r :
        List.of(get("/guarded/who?tenant=acme", null), get("/guarded/who", "allow"))) {
      assertEquals(401, r.statusCode());
      assertEquals("{\"message\":\"Unauthorized\"}", r.body());
    }
  }

  @Test
  void shouldAnswer500WhenTheAuthorizerAnswersGarbageOrNotInTime() {
    for (HttpResponse<String> r :
        List.of(get("/guarded/who?tenant=acme", "garbage"), get("/guarded/slow", "allow"))) {
      assertEquals(500, r.statusCode(), r.body());
      assertEquals("{\"message\":\"Internal server error\"}", r.body());
      assertEquals(
          "AuthorizerConfigurationException",
          r.headers().firstValue("x-portico-error-type").orElseThrow());
    }
  }

  @Test
  void shouldRefuseAWebSocketConnectTheAuthorizerDeniesAndAcceptOneItAllows() {
    assertEquals(
        403,
        assertThrows(WsClient.Refused.class, () -> WsClient.connect(edge, "/guarded?token=deny"))
            .status);
    assertEquals(
        401, assertThrows(WsClient.Refused.class, () -> WsClient.connect(edge, "/guarded")).status);
    try (WsClient client = WsClient.connect(edge, "/guarded?token=allow")) {
      client.send("{\"action\":\"anything\"}");
      assertEquals("hi", client.next());
    }
  }
}
