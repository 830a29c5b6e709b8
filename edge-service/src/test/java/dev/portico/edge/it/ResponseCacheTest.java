package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stage response cache in front of a function that counts its calls. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ResponseCacheTest {
  Edge edge;
  Admin admin;
  TestFunction function;
  final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.count", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.count"),
            r -> {
              String path =
                  Json.fromBytes(r.value(), dev.portico.contracts.FunctionRequest.class).rawPath();
              Map<String, String> headers =
                  path.contains("private")
                      ? Map.of("cache-control", "private, max-age=60")
                      : Map.of();
              return Json.toBytes(
                  new FunctionResponse(200, headers, "call " + calls.incrementAndGet(), false));
            });
    edge = new Edge(kafka, prefix).start();
    admin = new Admin(edge);
    admin.importApi(
        "cached",
        """
        openapi: 3.0.3
        info: {title: cached}
        components:
          securitySchemes:
            key: {type: apiKey, in: header, name: x-api-key}
        paths:
          /count:
            get:
              x-portico-cache: {keyParameters: [querystring.id]}
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.count", timeoutMs: 5000}
          /private:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.count", timeoutMs: 5000}
          /mine:
            get:
              security: [{key: []}]
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.count", timeoutMs: 5000}
          /short:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.count", timeoutMs: 5000}
        """);
    admin.deploy("cached", "c");
    admin.call(
        200,
        "PUT",
        "/stages/c/settings",
        """
        {"cache":{"sizeBytes":40,"ttlSeconds":300,"requireAuthorizationForInvalidation":true,
                  "unauthorizedInvalidation":"FAIL_WITH_403"},
         "methodSettings":{"GET /count":{"cachingEnabled":true},"GET /private":{"cachingEnabled":true},
                           "GET /mine":{"cachingEnabled":true},"GET /short":{"cachingEnabled":true,"cacheTtlSeconds":1}}}
        """);
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
  }

  HttpResponse<String> get(String path, String... headers) {
    return edge.request("GET", "/c" + path, null, headers);
  }

  @Test
  void shouldServeHitsAndKeyByTheListedParameters() {
    HttpResponse<String> first = get("/count?id=a&ignored=1");
    assertEquals("Miss", first.headers().firstValue("x-cache").orElse(null));
    HttpResponse<String> second = get("/count?id=a&ignored=2");
    assertEquals("Hit", second.headers().firstValue("x-cache").orElse(null));
    assertEquals(first.body(), second.body());
    assertNotEquals(first.body(), get("/count?id=b").body(), "id is part of the key");
  }

  @Test
  void shouldLetCanaryRequestsUseTheStageCacheOnlyWhenTheCanarySaysSo() {
    String canary =
        admin
            .call(201, "POST", "/apis/cached/deployments", "{\"description\":\"canary\"}")
            .get("id")
            .asText();
    try {
      admin.call(
          200,
          "PUT",
          "/stages/c/canary",
          "{\"percentTraffic\":100,\"deploymentId\":\"" + canary + "\",\"useStageCache\":false}");
      HttpResponse<String> bypassed = get("/count?id=canary");
      assertEquals("true", bypassed.headers().firstValue("x-portico-canary").orElse(null));
      assertTrue(bypassed.headers().firstValue("x-cache").isEmpty(), "no cache lookup at all");
      assertNotEquals(
          bypassed.body(), get("/count?id=canary").body(), "each call reaches the function");

      admin.call(
          200,
          "PUT",
          "/stages/c/canary",
          "{\"percentTraffic\":100,\"deploymentId\":\"" + canary + "\",\"useStageCache\":true}");
      HttpResponse<String> first = get("/count?id=canary2");
      HttpResponse<String> second = get("/count?id=canary2");
      assertEquals("Miss", first.headers().firstValue("x-cache").orElse(null));
      assertEquals("Hit", second.headers().firstValue("x-cache").orElse(null));
      assertEquals(first.body(), second.body());
    } finally {
      admin.call(200, "DELETE", "/stages/c/canary", null);
    }
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedWhenFull() {
    // 40 bytes hold five 7-byte bodies; a sixth and seventh push the oldest out.
    String firstBody = get("/count?id=lru0").body();
    for (int i = 1; i <= 6; i++) {
      get("/count?id=lru" + i);
    }
    assertNotEquals(firstBody, get("/count?id=lru0").body());
  }

  @Test
  void shouldExpireEntriesAfterTheirLifetime() {
    String body = get("/short").body();
    assertEquals(body, get("/short").body());
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !get("/short").body().equals(body));
  }

  @Test
  void shouldNeverStorePrivateResponses() {
    assertNotEquals(get("/private").body(), get("/private").body());
  }

  @Test
  void shouldNotServeOneCallersAuthorizedAnswerToAnother() {
    String plan =
        admin
            .call(
                201,
                "POST",
                "/usageplans",
                "{\"name\":\"p\",\"apiStages\":[{\"apiId\":\"cached\",\"stage\":\"c\"}]}")
            .get("id")
            .asText();
    String[] values = new String[2];
    for (int i = 0; i < 2; i++) {
      JsonNode key = admin.call(201, "POST", "/apikeys", "{\"name\":\"k" + i + "\"}");
      admin.call(
          200,
          "POST",
          "/usageplans/" + plan + "/keys",
          "{\"keyId\":\"" + key.get("id").asText() + "\"}");
      values[i] = key.get("value").asText();
    }
    String alice = get("/mine", "x-api-key", values[0]).body();
    assertEquals(alice, get("/mine", "x-api-key", values[0]).body(), "cached for its caller");
    assertNotEquals(alice, get("/mine", "x-api-key", values[1]).body(), "never for another caller");
    // An authorized caller may ask for a fresh answer.
    assertNotEquals(
        alice, get("/mine", "x-api-key", values[0], "cache-control", "max-age=0").body());
  }

  @Test
  void shouldRefuseUnauthorizedInvalidationAndFlushOnRequest() {
    String body = get("/count?id=flush").body();
    HttpResponse<String> refused = get("/count?id=flush", "cache-control", "max-age=0");
    assertEquals(403, refused.statusCode());
    assertEquals(
        body,
        get("/count?id=flush", "cache-control", "s-maxage=0, max-age=5").body(),
        "other directives");
    admin.call(200, "DELETE", "/stages/c/cache", null);
    assertNotEquals(body, get("/count?id=flush").body());
  }
}
