package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.serving.ApiKeyIndex;
import dev.portico.edge.serving.ServingState;
import dev.portico.edge.steps.ChainServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyGuardTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
      paths:
        /keyed:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock}
        /open:
          get:
            x-portico-integration: {type: mock}
      """;

  static final UsagePlanRecord PLAN =
      new UsagePlanRecord(
          "p1",
          "plan",
          null,
          null,
          null,
          List.of(new UsagePlanRecord.ApiStage("api1", ChainServer.STAGE, null)),
          List.of("k1", "k2"),
          null);

  static ApiKeyRecord key(String id, String value, boolean enabled) {
    return new ApiKeyRecord(id, id, null, ApiKeyIndex.sha256(value), enabled, null);
  }

  ChainServer start() {
    ApiKeyIndex keys =
        new ApiKeyIndex(
            Map.of(
                ApiKeyIndex.sha256("good"), key("k1", "good", true),
                ApiKeyIndex.sha256("off"), key("k2", "off", false),
                ApiKeyIndex.sha256("planless"), key("k3", "planless", true)),
            Map.of("k1", List.of(PLAN), "k2", List.of(PLAN)));
    ServingState state = ChainServer.serving(API, StageSettings.NONE, keys);
    return ChainServer.routed(state, new ApiKeyGuard(state::apiKeys));
  }

  @Test
  void shouldSetTheKeyAndItsPlanForTheStepsAfterIt() {
    try (ChainServer chain = start()) {
      JsonObject seen = ChainServer.json(chain.get("/s/keyed", "x-api-key", "good"));
      assertEquals("k1", seen.getString("apiKey"));
      assertEquals("p1", seen.getString("plan"));
    }
  }

  @Test
  void shouldRefuseAMissingUnknownDisabledOrPlanlessKeyAlikeWith403() {
    try (ChainServer chain = start()) {
      for (String value : List.of("unknown", "off", "planless")) {
        var r = chain.get("/s/keyed", "x-api-key", value);
        assertEquals(403, r.statusCode(), value);
        assertEquals("{\"message\":\"Forbidden\"}", r.body(), value);
      }
      assertEquals(403, chain.get("/s/keyed").statusCode());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldNotAskForAKeyWhereTheRouteNeedsNone() {
    try (ChainServer chain = start()) {
      assertNull(ChainServer.json(chain.get("/s/open", "x-api-key", "good")).getString("apiKey"));
    }
  }
}
