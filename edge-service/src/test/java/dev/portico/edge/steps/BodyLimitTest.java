package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.request.Limits;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class BodyLimitTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /fn:
          post:
            x-portico-integration: {type: kafka, topic: portico.fn.x}
        /mock:
          post:
            x-portico-integration: {type: mock}
      """;

  ChainServer start(int maxRecordBytes) {
    return ChainServer.routed(
        ChainServer.serving(API, StageSettings.NONE), new BodyLimit(maxRecordBytes));
  }

  @Test
  void shouldLimitAKafkaBodyToOneRecordAndOthersTo10MiB() {
    try (ChainServer chain = start(1_000)) {
      assertEquals(1_000, ChainServer.json(chain.send("POST", "/s/fn", "x")).getLong("bodyLimit"));
      assertEquals(
          Limits.MAX_BODY_BYTES,
          ChainServer.json(chain.send("POST", "/s/mock", "x")).getLong("bodyLimit"));
    }
    try (ChainServer chain = start(64 * 1024 * 1024)) {
      assertEquals(
          Limits.MAX_BODY_BYTES,
          ChainServer.json(chain.send("POST", "/s/fn", "x")).getLong("bodyLimit"));
    }
  }

  @Test
  void shouldRefuseADeclaredLengthOverTheLimitWith413BeforeReadingIt() {
    try (ChainServer chain = start(1_000)) {
      HttpResponse<String> over = chain.send("POST", "/s/fn", "x".repeat(1_001));
      assertEquals(413, over.statusCode());
      assertEquals("{\"message\":\"Request Too Long\"}", over.body());
      assertEquals(200, chain.send("POST", "/s/fn", "x".repeat(1_000)).statusCode());
      assertEquals(200, chain.send("POST", "/s/mock", "x".repeat(1_001)).statusCode());
      assertEquals(2, chain.probed());
    }
  }
}
