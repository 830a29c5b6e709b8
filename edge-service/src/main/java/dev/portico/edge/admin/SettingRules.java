package dev.portico.edge.admin;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.contracts.edge.ThrottleSettings;
import dev.portico.edge.policy.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds on what an admin may set: throttles (a positive rate, a burst of at least one), route
 * keys ({@code "METHOD /path"}), cache TTLs (0 to 3600 s) and sizes (up to {@link
 * GatewayAdmin#MAX_CACHE_BYTES}), IP policies (valid CIDRs). Every broken rule is one problem, so a
 * 400 lists them all at once.
 */
final class SettingRules {
  /** A route key as stage method settings and usage plan throttles name a route. */
  static final String ROUTE_KEY = "(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY) /\\S*";

  private SettingRules() {}

  /** Every problem of a stage's settings (throttles, method settings, cache, IP policy). */
  static List<String> problems(StageSettings settings) {
    List<String> problems = new ArrayList<>();
    throttle("throttle", settings.throttle(), problems);
    settings
        .methodSettings()
        .forEach(
            (routeKey, m) -> {
              String where = "methodSettings." + routeKey;
              if (!routeKey.matches(ROUTE_KEY)) {
                problems.add("methodSettings: keys are \"METHOD /path\", was " + routeKey);
              }
              throttle(where + ".throttle", m.throttle(), problems);
              if (m.cacheTtlSeconds() != null
                  && (m.cacheTtlSeconds() < 0 || m.cacheTtlSeconds() > 3600)) {
                problems.add(where + ".cacheTtlSeconds: 0 to 3600");
              }
            });
    StageSettings.CacheSettings cache = settings.cache();
    if (cache != null) {
      if (cache.ttlSeconds() < 0 || cache.ttlSeconds() > 3600) {
        problems.add("cache.ttlSeconds: 0 to 3600");
      }
      if (cache.sizeBytes() < 1 || cache.sizeBytes() > GatewayAdmin.MAX_CACHE_BYTES) {
        problems.add("cache.sizeBytes: 1 to " + GatewayAdmin.MAX_CACHE_BYTES);
      }
      String unauthorized = cache.unauthorizedInvalidation();
      if (unauthorized != null
          && !unauthorized.equals("FAIL_WITH_403")
          && !unauthorized.equals("IGNORE")) {
        problems.add("cache.unauthorizedInvalidation: FAIL_WITH_403 or IGNORE");
      }
    }
    for (String cidr : settings.ipAllow()) {
      cidr("ipAllow", cidr, problems);
    }
    for (String cidr : settings.ipDeny()) {
      cidr("ipDeny", cidr, problems);
    }
    return problems;
  }

  /** Adds a problem unless the throttle is absent or has a positive rate and a burst of one. */
  static void throttle(String where, ThrottleSettings t, List<String> problems) {
    if (t != null && (!(t.rateLimit() > 0) || t.burstLimit() < 1)) {
      problems.add(where + ": rateLimit > 0 and burstLimit >= 1");
    }
  }

  private static void cidr(String where, String cidr, List<String> problems) {
    try {
      Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
  }
}
