package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.StageSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class CorsTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      x-portico-cors:
        allowOrigins: ["https://app.example"]
        allowMethods: [GET, PUT]
        exposeHeaders: [x-total]
        maxAge: 600
      paths:
        /a:
          get:
            x-portico-integration: {type: mock}
      """;

  static final String NO_CORS =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /a:
          get:
            x-portico-integration: {type: mock}
      """;

  ChainServer start(String api) {
    var state = ChainServer.serving(api, StageSettings.NONE);
    return ChainServer.start(new StageSelector(() -> state), new Cors());
  }

  @Test
  void shouldAnswerAPreflightItselfBeforeTheStepsAfterIt() {
    try (ChainServer chain = start(API)) {
      HttpResponse<String> r =
          chain.send(
              "OPTIONS",
              "/s/a",
              null,
              "origin",
              "https://app.example",
              "access-control-request-method",
              "PUT",
              "access-control-request-headers",
              "x-one");
      assertEquals(204, r.statusCode());
      assertEquals("https://app.example", header(r, "access-control-allow-origin"));
      assertEquals("GET,PUT", header(r, "access-control-allow-methods"));
      assertEquals("x-one", header(r, "access-control-allow-headers"));
      assertEquals("600", header(r, "access-control-max-age"));
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAnswerAPreflightFromAnotherOriginWithoutAllowHeaders() {
    try (ChainServer chain = start(API)) {
      HttpResponse<String> r =
          chain.send(
              "OPTIONS",
              "/s/a",
              null,
              "origin",
              "https://evil.example",
              "access-control-request-method",
              "GET");
      assertEquals(204, r.statusCode());
      assertTrue(r.headers().firstValue("access-control-allow-origin").isEmpty());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAddTheAllowHeadersToOtherRequestsAndHandThemOn() {
    try (ChainServer chain = start(API)) {
      HttpResponse<String> r = chain.get("/s/a", "origin", "https://app.example");
      assertEquals(200, r.statusCode());
      assertEquals("https://app.example", header(r, "access-control-allow-origin"));
      assertEquals("x-total", header(r, "access-control-expose-headers"));
      assertEquals("Origin", header(r, "vary"));
      assertEquals(1, chain.probed());
    }
  }

  @Test
  void shouldLeaveAnApiWithoutCorsAlone() {
    try (ChainServer chain = start(NO_CORS)) {
      HttpResponse<String> r =
          chain.send(
              "OPTIONS",
              "/s/a",
              null,
              "origin",
              "https://app.example",
              "access-control-request-method",
              "GET");
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("access-control-allow-origin").isEmpty());
      assertTrue(r.headers().firstValue("vary").isEmpty());
      assertEquals(1, chain.probed());
    }
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
