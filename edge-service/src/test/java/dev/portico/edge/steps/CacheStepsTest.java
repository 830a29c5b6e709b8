package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.request.Step;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CacheLookup} and {@link CacheStore} around the integration: a miss goes on to it and its
 * answer is kept; a hit is answered before it.
 */
class CacheStepsTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /cached:
          get:
            x-portico-integration: {type: mock, body: fresh}
        /plain:
          get:
            x-portico-integration: {type: mock, body: fresh}
        /fn:
          get:
            x-portico-integration: {type: kafka, topic: portico.fn.x, mode: async}
      """;

  static StageSettings settings(String unauthorizedInvalidation) {
    return new StageSettings(
        null,
        Map.of(
            "GET /cached", new StageSettings.MethodSettings(null, true, null),
            "GET /fn", new StageSettings.MethodSettings(null, true, null)),
        new StageSettings.CacheSettings(1_000_000, 300, true, unauthorizedInvalidation, false, 0),
        List.of(),
        List.of());
  }

  final StageCaches caches = new StageCaches(System::currentTimeMillis, new SimpleMeterRegistry());
  final AtomicInteger integrations = new AtomicInteger();

  /** The serving end of the chain; the request reaches the probe only if nothing answered it. */
  ChainServer start(StageSettings settings, boolean store) {
    List<Step> steps = new ArrayList<>();
    steps.add(new BodyLimit(1 << 20));
    steps.add(new CacheLookup(caches));
    steps.add(
        ex -> {
          integrations.incrementAndGet();
          return Step.NEXT;
        });
    steps.add(new IntegrationCall(null, null, null));
    if (store) {
      steps.add(new CacheStore(caches));
    }
    steps.add(new ResponseWriter());
    return ChainServer.routed(ChainServer.serving(API, settings), steps.toArray(Step[]::new));
  }

  @Test
  void shouldAnswerASecondRequestFromTheCacheWithoutTheIntegration() {
    try (ChainServer chain = start(settings("FAIL_WITH_403"), true)) {
      HttpResponse<String> first = chain.get("/s/cached");
      assertEquals("Miss", first.headers().firstValue("x-cache").orElseThrow());
      assertEquals("fresh", first.body());
      HttpResponse<String> second = chain.get("/s/cached");
      assertEquals(200, second.statusCode());
      assertEquals("Hit", second.headers().firstValue("x-cache").orElseThrow());
      assertEquals("fresh", second.body());
      assertEquals(1, integrations.get());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldLeaveUncachedRoutesAndAsyncFunctionsAlone() {
    try (ChainServer chain = start(settings("FAIL_WITH_403"), true)) {
      HttpResponse<String> plain = chain.get("/s/plain");
      assertEquals("fresh", plain.body());
      assertTrue(plain.headers().firstValue("x-cache").isEmpty());
      chain.get("/s/plain");
      assertEquals(2, integrations.get());
    }
  }

  @Test
  void shouldKeepNothingWithoutTheStoreStep() {
    try (ChainServer chain = start(settings("FAIL_WITH_403"), false)) {
      chain.get("/s/cached");
      HttpResponse<String> second = chain.get("/s/cached");
      assertEquals("Miss", second.headers().firstValue("x-cache").orElseThrow());
      assertEquals(2, integrations.get());
    }
  }

  @Test
  void shouldRefuseAnUnauthorizedInvalidationWith403OrIgnoreIt() {
    try (ChainServer chain = start(settings("FAIL_WITH_403"), true)) {
      chain.get("/s/cached");
      HttpResponse<String> refused = chain.get("/s/cached", "cache-control", "max-age=0");
      assertEquals(403, refused.statusCode());
      assertEquals("{\"message\":\"Forbidden\"}", refused.body());
      assertEquals(1, integrations.get());
    }
    try (ChainServer chain = start(settings("IGNORE"), true)) {
      chain.get("/s/cached");
      HttpResponse<String> ignored = chain.get("/s/cached", "cache-control", "max-age=0");
      assertEquals("Hit", ignored.headers().firstValue("x-cache").orElseThrow());
    }
  }
}
