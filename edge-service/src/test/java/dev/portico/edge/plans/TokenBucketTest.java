package dev.portico.edge.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.QuotaSettings;
import dev.portico.contracts.edge.ThrottleSettings;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  final AtomicLong nanos = new AtomicLong();

  @Test
  void shouldAllowTheBurstThenRefillAtTheRate() {
    TokenBucket bucket = new TokenBucket(2, 3, nanos::get);
    assertTrue(bucket.tryAcquire());
    assertTrue(bucket.tryAcquire());
    assertTrue(bucket.tryAcquire());
    assertFalse(bucket.tryAcquire());
    assertEquals(0.5, bucket.secondsUntilToken(), 1e-9);
    nanos.addAndGet(500_000_000L);
    assertTrue(bucket.tryAcquire());
    assertFalse(bucket.tryAcquire());
    nanos.addAndGet(10_000_000_000L);
    assertEquals(3, bucket.remaining(), "never above the burst");
    assertTrue(bucket.isFull());
  }

  @Test
  void shouldRefuseWithTheFirstLimitWithoutATokenAndGiveBackTheOthers() {
    Throttler throttler = new Throttler(() -> 1.0, nanos::get);
    var perMethod = new Throttler.Limit("m", new ThrottleSettings(1, 1));
    var plan = new Throttler.Limit("p", new ThrottleSettings(5, 5));
    var gateway = new Throttler.Limit("g", new ThrottleSettings(100, 1));
    assertTrue(throttler.check(List.of(perMethod, plan)).allowed());
    Throttler.Decision second = throttler.check(List.of(perMethod, plan));
    assertEquals(perMethod, second.refusedBy());
    // The plan's bucket lost only the admitted request's token: 4 left.
    assertEquals(4, throttler.check(List.of(plan)).remaining() + 1);
    // A later limit refusing gives back the tokens of the earlier ones.
    assertTrue(throttler.check(List.of(gateway)).allowed());
    Throttler.Decision third = throttler.check(List.of(plan, gateway));
    assertEquals(gateway, third.refusedBy());
    assertEquals(3, throttler.check(List.of(plan)).remaining() + 1, "plan token given back");
  }

  @Test
  void shouldSplitEveryLimitByTheLiveReplicas() {
    Throttler half = new Throttler(() -> 0.5, nanos::get);
    var limit = new Throttler.Limit("k", new ThrottleSettings(10, 10));
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      admitted += half.check(List.of(limit)).allowed() ? 1 : 0;
    }
    assertEquals(5, admitted, "half of the burst on this replica");
    assertNull(half.check(List.of()).refusedBy());
  }

  @Test
  void shouldForgetFullBucketsOnly() {
    Throttler throttler = new Throttler(() -> 1.0, nanos::get);
    throttler.check(List.of(new Throttler.Limit("a", new ThrottleSettings(1, 5))));
    throttler.check(List.of(new Throttler.Limit("b", new ThrottleSettings(1, 5))));
    nanos.addAndGet(2_000_000_000L);
    throttler.check(List.of(new Throttler.Limit("b", new ThrottleSettings(1, 5))));
    throttler.evictIdle();
    assertEquals(1, throttler.size());
  }

  @Test
  void shouldComputeCalendarQuotaPeriodsInUtc() {
    LocalDate wednesday = LocalDate.of(2026, 11, 18);
    assertEquals(
        LocalDate.of(2026, 11, 16), QuotaPeriods.start(QuotaSettings.Period.WEEK, wednesday));
    assertEquals(
        LocalDate.of(2026, 11, 1), QuotaPeriods.start(QuotaSettings.Period.MONTH, wednesday));
    assertEquals(
        LocalDate.of(2026, 12, 1), QuotaPeriods.next(QuotaSettings.Period.MONTH, wednesday));
    assertEquals(
        60,
        QuotaPeriods.secondsUntilReset(
            QuotaSettings.Period.DAY,
            ZonedDateTime.of(2026, 11, 18, 23, 59, 0, 0, ZoneOffset.UTC)));
  }
}
