package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.QuotaSettings;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.contracts.edge.ThrottleSettings;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.plans.KeyUsage;
import dev.portico.edge.plans.Throttler;
import dev.portico.edge.serving.ApiKeyIndex;
import dev.portico.edge.serving.ServingState;
import dev.portico.edge.steps.ChainServer;
import dev.portico.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleGuardTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
      paths:
        /a:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock}
        /free:
          get:
            x-portico-integration: {type: mock}
      """;

  static final ThrottleSettings WIDE_OPEN = new ThrottleSettings(10_000, 5_000);

  /** One replica's usage, all of it flushed at once: what the ledger would count. */
  static final class CountedUsage implements KeyUsage {
    final Map<String, Long> byKey = new ConcurrentHashMap<>();

    @Override
    public LocalDate today() {
      return LocalDate.now(ZoneOffset.UTC);
    }

    @Override
    public void record(String keyId) {
      byKey.merge(keyId, 1L, Long::sum);
    }

    @Override
    public long used(String keyId, LocalDate from, LocalDate to) {
      return byKey.getOrDefault(keyId, 0L);
    }

    @Override
    public long unflushed(String keyId, LocalDate day) {
      return 0;
    }

    @Override
    public void flushSoon() {}

    @Override
    public double share() {
      return 1;
    }

    @Override
    public boolean isLeader() {
      return true;
    }
  }

  final CountedUsage usage = new CountedUsage();
  final AtomicLong nanos = new AtomicLong(1);

  ChainServer start(StageSettings settings, UsagePlanRecord plan) {
    ApiKeyRecord key = new ApiKeyRecord("k1", "k1", null, ApiKeyIndex.sha256("good"), true, null);
    ApiKeyIndex keys = new ApiKeyIndex(Map.of(key.hash(), key), Map.of("k1", List.of(plan)));
    ServingState state = ChainServer.serving(API, settings, keys);
    Throttler throttler = new Throttler(() -> 1.0, nanos::get);
    return ChainServer.routed(
        state,
        new ApiKeyGuard(state::apiKeys),
        new ThrottleGuard(throttler, usage, WIDE_OPEN, new MutableClock()));
  }

  static UsagePlanRecord plan(QuotaSettings quota) {
    return new UsagePlanRecord(
        "p1",
        "p",
        null,
        null,
        quota,
        List.of(new UsagePlanRecord.ApiStage("api1", ChainServer.STAGE, null)),
        List.of("k1"),
        null);
  }

  @Test
  void shouldRefuseOnceTheStagesBucketIsEmptyWith429AndRetryAfter() {
    StageSettings oneAtATime =
        new StageSettings(new ThrottleSettings(1, 2), Map.of(), null, List.of(), List.of());
    try (ChainServer chain = start(oneAtATime, plan(null))) {
      HttpResponse<String> first = chain.get("/s/free");
      assertEquals(200, first.statusCode());
      assertEquals("1", first.headers().firstValue("x-ratelimit-limit").orElseThrow());
      assertEquals("1", first.headers().firstValue("x-ratelimit-remaining").orElseThrow());
      assertEquals(200, chain.get("/s/free").statusCode());
      HttpResponse<String> third = chain.get("/s/free");
      assertEquals(429, third.statusCode());
      assertEquals("{\"message\":\"Too Many Requests\"}", third.body());
      assertEquals("1", third.headers().firstValue("retry-after").orElseThrow());
      nanos.addAndGet(1_000_000_000L);
      assertEquals(200, chain.get("/s/free").statusCode());
      assertEquals(3, chain.probed());
    }
  }

  @Test
  void shouldCountAKeysRequestsAndRefuseThemPastItsQuota() {
    try (ChainServer chain =
        start(StageSettings.NONE, plan(new QuotaSettings(2, QuotaSettings.Period.DAY)))) {
      assertEquals(200, chain.get("/s/a", "x-api-key", "good").statusCode());
      assertEquals(200, chain.get("/s/a", "x-api-key", "good").statusCode());
      assertEquals(2L, usage.byKey.get("k1"));
      HttpResponse<String> over = chain.get("/s/a", "x-api-key", "good");
      assertEquals(429, over.statusCode());
      assertEquals("{\"message\":\"Limit Exceeded\"}", over.body());
      assertEquals("0", over.headers().firstValue("x-ratelimit-remaining").orElseThrow());
      assertEquals(2L, usage.byKey.get("k1"));
    }
  }
}
