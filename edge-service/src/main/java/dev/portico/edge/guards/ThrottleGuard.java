package dev.portico.edge.guards;

import dev.portico.contracts.edge.QuotaSettings;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.contracts.edge.ThrottleSettings;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.plans.KeyUsage;
import dev.portico.edge.plans.QuotaPeriods;
import dev.portico.edge.plans.Throttler;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Throttling and quotas. The key's quota is checked first (429 {@code Limit Exceeded}); then the
 * token buckets in the spec's order, the first without a token refusing the request (429 {@code Too
 * Many Requests}): (1) the plan's per-method limit for the key, (2) the plan's limit for the key,
 * (3) the stage's per-method limit, (4) the stage's default, (5) the gateway-wide limit. Admitted
 * requests of a key count towards its quota. Every answer carries {@code
 * X-RateLimit-Limit/Remaining/Reset} for the first limit that applies; a refusal also {@code
 * Retry-After}.
 */
public final class ThrottleGuard implements Step {
  private final Throttler throttler;
  private final KeyUsage usage;
  private final ThrottleSettings gatewayWide;
  private final Clock clock;

  public ThrottleGuard(
      Throttler throttler, KeyUsage usage, ThrottleSettings gatewayWide, Clock clock) {
    this.throttler = throttler;
    this.usage = usage;
    this.gatewayWide = gatewayWide;
    this.clock = clock;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    UsagePlanRecord plan = ex.plan();
    if (plan != null && plan.quota() != null) {
      Rejection overQuota = quota(ex, plan.quota());
      if (overQuota != null) {
        return Future.failedFuture(overQuota);
      }
    }
    Throttler.Decision decision = throttler.check(limits(ex));
    if (decision.first() != null) {
      var headers = ex.request().response().headers();
      headers.set("x-ratelimit-limit", number(decision.first().settings().rateLimit()));
      headers.set("x-ratelimit-remaining", Long.toString(decision.remaining()));
      headers.set("x-ratelimit-reset", Long.toString((long) Math.ceil(decision.resetSeconds())));
    }
    if (!decision.allowed()) {
      long retry = Math.max(1, (long) Math.ceil(decision.resetSeconds()));
      return Future.failedFuture(
          Rejection.of(
              GatewayError.TOO_MANY_REQUESTS,
              Map.of(
                  "retry-after", Long.toString(retry),
                  "x-ratelimit-limit", number(decision.refusedBy().settings().rateLimit()),
                  "x-ratelimit-remaining", "0",
                  "x-ratelimit-reset", Long.toString(retry))));
    }
    if (ex.apiKey() != null) {
      usage.record(ex.apiKey().id());
    }
    return NEXT;
  }

  /**
   * The quota: refused with {@code Limit Exceeded} once the key's usage in the period reaches the
   * limit. Across replicas, a replica may admit between two flushes of its counts at most its share
   * of what remained at the last flush, halved (a lease; when fewer requests remain than there are
   * replicas, only the replica with the lowest id spends them); past it, the request is refused
   * with {@code Too Many Requests} and a 1 s {@code Retry-After} while the counts are published.
   */
  private Rejection quota(Exchange ex, QuotaSettings quota) {
    LocalDate today = usage.today();
    LocalDate start = QuotaPeriods.start(quota.period(), today);
    String keyId = ex.apiKey().id();
    long used = usage.used(keyId, start, today);
    if (used < quota.limit()) {
      long unflushed = usage.unflushed(keyId, today);
      long remainingAtFlush = quota.limit() - (used - unflushed);
      // Half a share: replicas computing on the same stale counts together still take at most
      // half of what remains before they see each other's next flush.
      double share = usage.share();
      long lease = (long) Math.floor(remainingAtFlush * (share < 1 ? share / 2 : 1));
      if (lease == 0 && usage.isLeader()) {
        lease = remainingAtFlush; // too few left to share: one replica spends them
      }
      if (unflushed < lease) {
        return null;
      }
      usage.flushSoon();
      return Rejection.of(GatewayError.TOO_MANY_REQUESTS, Map.of("retry-after", "1"));
    }
    long reset =
        QuotaPeriods.secondsUntilReset(
            quota.period(), ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)));
    return Rejection.of(
        GatewayError.LIMIT_EXCEEDED,
        Map.of(
            "retry-after", Long.toString(reset),
            "x-ratelimit-limit", Long.toString(quota.limit()),
            "x-ratelimit-remaining", "0",
            "x-ratelimit-reset", Long.toString(reset)));
  }

  private List<Throttler.Limit> limits(Exchange ex) {
    List<Throttler.Limit> limits = new ArrayList<>(5);
    String routeKey = ex.match().route().routeKey();
    String stage = ex.release().stage();
    UsagePlanRecord plan = ex.plan();
    if (plan != null) {
      String client = "plan/" + plan.id() + "/" + ex.apiKey().id();
      ThrottleSettings perMethod = plan.methodThrottle(ex.release().apiId(), stage, routeKey);
      if (perMethod != null) {
        limits.add(new Throttler.Limit(client + "/" + routeKey, perMethod));
      }
      if (plan.throttle() != null) {
        limits.add(new Throttler.Limit(client, plan.throttle()));
      }
    }
    StageSettings settings = ex.release().settings();
    StageSettings.MethodSettings method = settings.methodSettings().get(routeKey);
    if (method != null && method.throttle() != null) {
      limits.add(new Throttler.Limit("stage/" + stage + "/" + routeKey, method.throttle()));
    }
    if (settings.throttle() != null) {
      limits.add(new Throttler.Limit("stage/" + stage, settings.throttle()));
    }
    limits.add(new Throttler.Limit("gateway", gatewayWide));
    return limits;
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
