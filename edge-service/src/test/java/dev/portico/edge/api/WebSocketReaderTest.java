package dev.portico.edge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketReaderTest {
  final OpenApiReader reader =
      new OpenApiReader("portico.", Duration.ofSeconds(29), Duration.ofSeconds(29));

  ApiDefinition read(String yaml) {
    return reader.read(yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldReadRoutesSecurityAndChannels() {
    ApiDefinition api =
        read(
            """
            openapi: 3.0.3
            info: {title: chat}
            components:
              securitySchemes:
                key: {type: apiKey, in: header, name: x-api-key}
            x-portico-websocket:
              routeSelectionExpression: $request.body.meta.kind
              routes:
                $connect:
                  security: [{key: []}]
                  x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.chat", mode: async}
                send:
                  x-portico-integration: {type: kafka, topic: fn.chat}
                  routeResponse: true
              channels:
                - pattern: rooms/*
                  scopes: [chat.read]
            """);
    WebSocketApi ws = api.websocket();
    assertEquals(List.of("meta", "kind"), ws.selectionPath());
    assertTrue(ws.route("$connect").options().apiKeyRequired());
    assertEquals(
        "portico.fn.chat", ((Integration.Kafka) ws.route("$connect").integration()).topic());
    assertTrue(ws.route("send").routeResponse());
    assertFalse(ws.route("$connect").routeResponse());
    assertEquals(List.of("chat.read"), ws.channelRule("rooms/42").scopes());
    assertNull(ws.channelRule("room/42"));
    assertTrue(api.routes().isEmpty(), "no REST paths needed");
  }

  @Test
  void shouldListEveryProblemOfAWebSocketSection() {
    InvalidApiException e =
        assertThrows(
            InvalidApiException.class,
            () ->
                read(
                    """
                    openapi: 3.0.3
                    info: {title: bad}
                    components:
                      securitySchemes:
                        key: {type: apiKey, in: header, name: x-api-key}
                    x-portico-websocket:
                      routeSelectionExpression: $request.header.kind
                      routes:
                        $weird:
                          x-portico-integration: {type: mock}
                        proxy:
                          x-portico-integration: {type: http, uri: "http://example.test"}
                        locked:
                          security: [{key: []}]
                          x-portico-integration: {type: mock}
                      channels:
                        - pattern: "a b"
                    """));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("routeSelectionExpression: must be $request.body.<path>"), all);
    assertTrue(all.contains("routes.$weird: not a route key"), all);
    assertTrue(all.contains("routes.proxy.x-portico-integration.type: WebSocket routes take"), all);
    assertTrue(all.contains("routes.locked.security: only $connect is authorized"), all);
    assertTrue(all.contains("channels[0].pattern"), all);
  }

  @Test
  void shouldStillRequirePathsOrAWebSocketSection() {
    InvalidApiException e =
        assertThrows(
            InvalidApiException.class,
            () -> read("openapi: 3.0.3\ninfo: {title: empty}\npaths: {}\n"));
    assertTrue(e.problems().get(0).startsWith("paths: at least one path is required"));
  }

  @Test
  void shouldGiveTheBundledCustomerApiLiveChannels() throws Exception {
    ApiDefinition api;
    try (InputStream in = getClass().getResourceAsStream("/apis/customer-api.yaml")) {
      api = reader.read(in.readAllBytes());
    }
    WebSocketApi ws = api.websocket();
    for (String channel :
        List.of("customers", "customers/1230AWS", "alarms", "metrics/ApiName=customer-api")) {
      assertEquals(List.of(), ws.channelRule(channel).scopes(), channel);
    }
    assertNull(ws.channelRule("secrets"));
  }
}
