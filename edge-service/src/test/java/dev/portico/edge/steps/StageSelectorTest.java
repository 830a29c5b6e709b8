package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.serving.ApiKeyIndex;
import dev.portico.edge.serving.ServingStage;
import dev.portico.edge.serving.ServingState;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageSelectorTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /a/b:
          get:
            x-portico-integration: {type: mock}
      """;

  @Test
  void shouldTakeTheStageFromThePathsFirstSegment() {
    ServingState state = ChainServer.serving(API, StageSettings.NONE);
    try (ChainServer chain = ChainServer.start(new StageSelector(() -> state))) {
      JsonObject deep = ChainServer.json(chain.get("/s/a/b?x=1"));
      assertEquals("s", deep.getString("stage"));
      assertEquals("/a/b", deep.getString("resourcePath"));
      assertEquals("deployment1", deep.getString("deployment"));
      assertEquals("/", ChainServer.json(chain.get("/s")).getString("resourcePath"));
    }
  }

  @Test
  void shouldAnswerAnUnknownStageWith404() {
    ServingState state = ChainServer.serving(API, StageSettings.NONE);
    try (ChainServer chain = ChainServer.start(new StageSelector(() -> state))) {
      HttpResponse<String> r = chain.get("/prod/a/b");
      assertEquals(404, r.statusCode());
      assertEquals("{\"message\":\"Not Found\"}", r.body());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldServeTheCanaryItsShareAndMarkItsAnswers() {
    ServingState allCanary =
        new ServingState(
            Map.of(
                "s",
                new ServingStage(
                    ChainServer.release(API, StageSettings.NONE, false),
                    ChainServer.release(API, StageSettings.NONE, true),
                    100)),
            ApiKeyIndex.EMPTY);
    try (ChainServer chain = ChainServer.start(new StageSelector(() -> allCanary))) {
      HttpResponse<String> r = chain.get("/s/a/b");
      assertEquals("canary1", ChainServer.json(r).getString("deployment"));
      assertEquals("true", r.headers().firstValue("x-portico-canary").orElseThrow());
    }
    ServingState noCanary = ChainServer.serving(API, StageSettings.NONE);
    try (ChainServer chain = ChainServer.start(new StageSelector(() -> noCanary))) {
      assertTrue(chain.get("/s/a/b").headers().firstValue("x-portico-canary").isEmpty());
    }
  }
}
