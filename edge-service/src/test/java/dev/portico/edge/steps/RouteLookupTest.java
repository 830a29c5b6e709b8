package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portico.contracts.edge.StageSettings;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouteLookupTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /items/{id}:
          get:
            x-portico-integration: {type: mock}
        /items/new:
          get:
            x-portico-integration: {type: mock}
      """;

  ChainServer start() {
    return ChainServer.routed(ChainServer.serving(API, StageSettings.NONE));
  }

  @Test
  void shouldPickTheMostSpecificRoute() {
    try (ChainServer chain = start()) {
      JsonObject param = ChainServer.json(chain.get("/s/items/42"));
      assertEquals("GET /items/{id}", param.getString("routeKey"));
      assertFalse(param.getBoolean("webSocket"));
      assertEquals(
          "GET /items/new", ChainServer.json(chain.get("/s/items/new")).getString("routeKey"));
    }
  }

  @Test
  void shouldAnswerNoRouteWithMissingAuthenticationToken() {
    try (ChainServer chain = start()) {
      for (HttpResponse<String> r :
          java.util.List.of(chain.get("/s/other"), chain.send("POST", "/s/items/42", "x"))) {
        assertEquals(403, r.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", r.body());
      }
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldAnswerABrokenPathEscapeWith400() throws Exception {
    try (ChainServer chain = start();
        Socket socket = new Socket("127.0.0.1", chain.port())) {
      // The JDK's client will not send a broken escape: written by hand.
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /s/items/%zz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("HTTP/1.1 400 Bad Request", response.lines().findFirst().orElseThrow());
      assertEquals(
          "{\"message\":\"Invalid path encoding\"}",
          response.substring(response.indexOf("\r\n\r\n") + 4));
      assertEquals(0, chain.probed());
    }
  }
}
