package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** API keys, usage plans, throttles, quotas, IP policies and CORS through a real edge. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ProtectionTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: shop}
      x-portico-cors:
        allowOrigins: ["https://app.example.com"]
        allowMethods: [GET, POST]
        allowHeaders: [content-type, x-api-key]
        exposeHeaders: [x-portico-request-id]
        maxAge: 600
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
      paths:
        /keyed:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock, body: keyed}
        /keyed/other:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock, body: other}
        /open:
          get:
            x-portico-integration: {type: mock, body: open}
      """;

  Edge edge;
  Admin admin;

  @BeforeAll
  void start(TestKafka kafka) {
    edge = new Edge(kafka, kafka.freshPrefix()).start();
    admin = new Admin(edge);
    admin.importApi("shop", API);
    admin.deploy("shop", "shop");
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  String createKey(String name) {
    JsonNode key = admin.call(201, "POST", "/apikeys", "{\"name\":\"" + name + "\"}");
    assertEquals(40, key.get("value").asText().length());
    return key.get("id").asText() + ":" + key.get("value").asText();
  }

  String plan(String body) {
    return admin.call(201, "POST", "/usageplans", body).get("id").asText();
  }

  HttpResponse<String> keyed(String path, String value) {
    return value == null ? edge.get(path) : edge.request("GET", path, null, "x-api-key", value);
  }

  @Test
  void shouldRequireAnEnabledKeyAttachedToAPlanForTheStage() {
    HttpResponse<String> missing = keyed("/shop/keyed", null);
    assertEquals(403, missing.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", missing.body());
    assertEquals(403, keyed("/shop/keyed", "not-a-key-at-all-0123456789").statusCode());
    assertEquals(200, keyed("/shop/open", null).statusCode(), "open routes need no key");

    String[] key = createKey("alice").split(":");
    JsonNode listed = admin.call(200, "GET", "/apikeys/" + key[0], null);
    assertFalse(listed.has("value"), "the value is shown once, at creation");
    assertEquals(403, keyed("/shop/keyed", key[1]).statusCode(), "not in a plan yet");

    String plan =
        plan("{\"name\":\"free\",\"apiStages\":[{\"apiId\":\"shop\",\"stage\":\"shop\"}]}");
    admin.call(200, "POST", "/usageplans/" + plan + "/keys", "{\"keyId\":\"" + key[0] + "\"}");
    assertEquals("keyed", keyed("/shop/keyed", key[1]).body());

    admin.call(200, "PATCH", "/apikeys/" + key[0], "{\"enabled\":false}");
    assertEquals(403, keyed("/shop/keyed", key[1]).statusCode(), "disabled");
    admin.call(200, "PATCH", "/apikeys/" + key[0], "{\"enabled\":true}");
    assertEquals(200, keyed("/shop/keyed", key[1]).statusCode());
  }

  @Test
  void shouldThrottleWithTheFirstLimitHitAndSayWhenToRetry() {
    String[] key = createKey("bob").split(":");
    String plan =
        plan(
            """
            {"name":"tight","throttle":{"rateLimit":3,"burstLimit":5},
             "apiStages":[{"apiId":"shop","stage":"shop","throttle":{"GET /keyed":{"rateLimit":0.5,"burstLimit":1}}}]}
            """);
    admin.call(200, "POST", "/usageplans/" + plan + "/keys", "{\"keyId\":\"" + key[0] + "\"}");
    HttpResponse<String> first = keyed("/shop/keyed", key[1]);
    assertEquals(200, first.statusCode());
    assertEquals("0.5", first.headers().firstValue("x-ratelimit-limit").orElse(null));
    assertEquals("0", first.headers().firstValue("x-ratelimit-remaining").orElse(null));
    HttpResponse<String> second = keyed("/shop/keyed", key[1]);
    assertEquals(429, second.statusCode());
    assertEquals("{\"message\":\"Too Many Requests\"}", second.body());
    assertEquals("ThrottledException", second.headers().firstValue("x-portico-error-type").get());
    assertEquals(
        "0.5", second.headers().firstValue("x-ratelimit-limit").orElse(null), "per-method");
    long retry = Long.parseLong(second.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retry >= 1 && retry <= 2, "retry after " + retry);
    // Another method of the same key only meets the plan's own limit (burst 5, one already used).
    int admitted = 0;
    for (int i = 0; i < 8; i++) {
      admitted += keyed("/shop/keyed/other", key[1]).statusCode() == 200 ? 1 : 0;
    }
    assertTrue(admitted >= 4 && admitted <= 5, "plan burst admitted " + admitted);
  }

  @Test
  void shouldEnforceTheQuotaAndReportAndAdjustUsage() {
    String[] key = createKey("carol").split(":");
    String plan =
        plan(
            "{\"name\":\"quota\",\"quota\":{\"limit\":3,\"period\":\"DAY\"},"
                + "\"apiStages\":[{\"apiId\":\"shop\",\"stage\":\"shop\"}]}");
    admin.call(200, "POST", "/usageplans/" + plan + "/keys", "{\"keyId\":\"" + key[0] + "\"}");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, keyed("/shop/keyed", key[1]).statusCode());
    }
    HttpResponse<String> over = keyed("/shop/keyed", key[1]);
    assertEquals(429, over.statusCode());
    assertEquals("{\"message\":\"Limit Exceeded\"}", over.body());
    assertTrue(over.headers().firstValue("retry-after").isPresent());

    JsonNode usage = admin.call(200, "GET", "/usageplans/" + plan + "/usage?keyId=" + key[0], null);
    JsonNode today = usage.get("items").get(key[0]).get(0);
    assertEquals(3, today.get("used").asInt());
    assertEquals(0, today.get("remaining").asInt());

    admin.call(
        200, "POST", "/usageplans/" + plan + "/keys/" + key[0] + "/usage", "{\"usedDelta\":-2}");
    assertEquals(200, keyed("/shop/keyed", key[1]).statusCode());
    assertEquals(200, keyed("/shop/keyed", key[1]).statusCode());
    assertEquals(429, keyed("/shop/keyed", key[1]).statusCode());
  }

  @Test
  void shouldApplyTheStageThrottleAndIpPolicy() {
    admin.deploy("shop", "shop-guarded");
    admin.call(
        200,
        "PUT",
        "/stages/shop-guarded/settings",
        "{\"methodSettings\":{\"GET /open\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":2}}}}");
    assertEquals(200, edge.get("/shop-guarded/open").statusCode());
    assertEquals(200, edge.get("/shop-guarded/open").statusCode());
    assertEquals(429, edge.get("/shop-guarded/open").statusCode());

    admin.call(200, "PUT", "/stages/shop-guarded/settings", "{\"ipDeny\":[\"127.0.0.0/8\"]}");
    HttpResponse<String> denied = edge.get("/shop-guarded/open");
    assertEquals(403, denied.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", denied.body());
    admin.call(200, "PUT", "/stages/shop-guarded/settings", "{\"ipAllow\":[\"10.0.0.0/8\"]}");
    assertEquals(403, edge.get("/shop-guarded/open").statusCode(), "not in the allow list");
    admin.call(
        200, "PUT", "/stages/shop-guarded/settings", "{\"ipAllow\":[\"127.0.0.1/32\", \"::1\"]}");
    assertEquals(200, edge.get("/shop-guarded/open").statusCode());

    HttpResponse<String> bad =
        edge.admin(
            "PUT", "/stages/shop-guarded/settings", "{\"ipAllow\":[\"10.0.0.0/33\"],\"nope\":1}");
    assertEquals(400, bad.statusCode(), bad.body());
    HttpResponse<String> badThrottle =
        edge.admin(
            "PUT",
            "/stages/shop-guarded/settings",
            "{\"throttle\":{\"rateLimit\":0,\"burstLimit\":-1}}");
    assertEquals(400, badThrottle.statusCode(), badThrottle.body());
  }

  /** The documented order: the IP policy comes before CORS, so a preflight meets it too. */
  @Test
  void shouldRefuseAPreflightFromADeniedAddress() {
    admin.deploy("shop", "shop-walled");
    admin.call(200, "PUT", "/stages/shop-walled/settings", "{\"ipDeny\":[\"127.0.0.0/8\"]}");
    HttpResponse<String> preflight =
        edge.request(
            "OPTIONS",
            "/shop-walled/open",
            null,
            "origin",
            "https://app.example.com",
            "access-control-request-method",
            "GET");
    assertEquals(403, preflight.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", preflight.body());
    assertTrue(preflight.headers().firstValue("access-control-allow-origin").isEmpty());
    assertTrue(preflight.headers().firstValue("x-portico-request-id").isPresent());
  }

  @Test
  void shouldAnswerCorsPreflightsAtTheEdge() {
    HttpResponse<String> preflight =
        edge.request(
            "OPTIONS",
            "/shop/keyed",
            null,
            "origin",
            "https://app.example.com",
            "access-control-request-method",
            "GET",
            "access-control-request-headers",
            "x-api-key");
    assertEquals(204, preflight.statusCode());
    assertEquals(
        "https://app.example.com",
        preflight.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals("GET,POST", preflight.headers().firstValue("access-control-allow-methods").get());
    assertEquals(
        "content-type,x-api-key",
        preflight.headers().firstValue("access-control-allow-headers").get());
    assertEquals("600", preflight.headers().firstValue("access-control-max-age").get());

    HttpResponse<String> stranger =
        edge.request(
            "OPTIONS",
            "/shop/open",
            null,
            "origin",
            "https://evil.example",
            "access-control-request-method",
            "GET");
    assertEquals(204, stranger.statusCode());
    assertTrue(stranger.headers().firstValue("access-control-allow-origin").isEmpty());

    HttpResponse<String> actual =
        edge.request("GET", "/shop/open", null, "origin", "https://app.example.com");
    assertEquals(
        "https://app.example.com",
        actual.headers().firstValue("access-control-allow-origin").get());
    assertEquals(
        "x-portico-request-id", actual.headers().firstValue("access-control-expose-headers").get());
  }
}
