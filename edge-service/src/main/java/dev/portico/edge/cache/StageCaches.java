package dev.portico.edge.cache;

import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.config.StageSettings;
import dev.portico.edge.http.Exchange;
import dev.portico.edge.http.GatewayError;
import dev.portico.edge.http.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The response caches of the stages and the rules around them. A route is cached when its stage has
 * a cache and the route's method settings turn caching on; GET only unless the stage allows other
 * methods; canary requests use it only when the canary's {@code useStageCache} is on. The key is
 * the stage, method, route template, path parameters, the route's cache-key parameters ({@code
 * x-portico-cache.keyParameters}) and, on routes that require a key or a token, the caller: an
 * authorized answer is never served to another caller. A response is stored only when it is a 2xx
 * without {@code Set-Cookie} and its {@code Cache-Control} allows (no {@code private}, {@code
 * no-store} or {@code no-cache}).
 */
public final class StageCaches {
  private final Map<String, ResponseCache> caches = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final Counter hits;
  private final Counter misses;

  public StageCaches(LongSupplier clockMillis, MeterRegistry registry) {
    this.clock = clockMillis;
    this.hits =
        Counter.builder("portico.edge.cache")
            .tag("result", "hit")
            .description("Response cache lookups (CacheHitCount / CacheMissCount)")
            .register(registry);
    this.misses =
        Counter.builder("portico.edge.cache")
            .tag("result", "miss")
            .description("Response cache lookups (CacheHitCount / CacheMissCount)")
            .register(registry);
  }

  /** Where a cacheable request stands: its key and lifetime; {@code null} when not cacheable. */
  public record Lookup(ResponseCache cache, String key, int ttlSeconds, long flushedAt) {}

  public Lookup lookup(Exchange ex) {
    StageSettings settings = ex.release().settings();
    StageSettings.CacheSettings cache = settings.cache();
    if (cache == null || !ex.release().usesStageCache()) {
      return null;
    }
    String routeKey = ex.match().route().routeKey();
    StageSettings.MethodSettings method = settings.methodSettings().get(routeKey);
    if (method == null || !Boolean.TRUE.equals(method.cachingEnabled())) {
      return null;
    }
    String verb = ex.request().method().name();
    if (!verb.equals("GET") && !cache.cacheNonGet()) {
      return null;
    }
    int ttl = method.cacheTtlSeconds() != null ? method.cacheTtlSeconds() : cache.ttlSeconds();
    if (ttl <= 0) {
      return null;
    }
    ResponseCache stageCache =
        caches.computeIfAbsent(
            ex.release().stage() + "|" + cache.sizeBytes(),
            k -> new ResponseCache(cache.sizeBytes(), clock));
    return new Lookup(stageCache, key(ex, verb), ttl, cache.flushedAt());
  }

  /**
   * The cached answer for a request, or {@code null} (a miss). A client's {@code Cache-Control:
   * max-age=0} (or {@code no-cache}) drops the entry when the client may: with {@code
   * requireAuthorizationForInvalidation} only an authorized request may, and others get 403 or are
   * ignored, per the stage's setting.
   */
  public FunctionResponse get(Exchange ex, Lookup lookup) {
    CacheControl control = CacheControl.parse(ex.request().getHeader("cache-control"));
    if (control.asksForFresh()) {
      StageSettings.CacheSettings cache = ex.release().settings().cache();
      boolean authorized = ex.apiKey != null || ex.claims != null;
      if (!cache.requireAuthorizationForInvalidation() || authorized) {
        lookup.cache().invalidate(lookup.key());
        misses.increment();
        return null;
      }
      if (!"IGNORE".equals(cache.unauthorizedInvalidation())) {
        throw Rejection.of(GatewayError.FORBIDDEN);
      }
    }
    FunctionResponse cached = lookup.cache().get(lookup.key(), lookup.flushedAt());
    (cached == null ? misses : hits).increment();
    return cached;
  }

  public void put(Lookup lookup, FunctionResponse response) {
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      return;
    }
    Map<String, String> headers = response.headers() == null ? Map.of() : response.headers();
    String control = null;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase("set-cookie")) {
        return;
      }
      if (h.getKey().equalsIgnoreCase("cache-control")) {
        control = h.getValue();
      }
    }
    if (!CacheControl.parse(control).storable()) {
      return;
    }
    lookup.cache().put(lookup.key(), response, lookup.ttlSeconds());
  }

  private static String key(Exchange ex, String verb) {
    StringBuilder key =
        new StringBuilder(ex.release().stage())
            .append('\n')
            .append(verb)
            .append('\n')
            .append(ex.match().route().path().template());
    new TreeMap<>(ex.match().pathParameters())
        .forEach((k, v) -> key.append('\n').append(k).append('=').append(v));
    for (String parameter : ex.match().route().options().cacheKeyParameters()) {
      String value =
          parameter.startsWith("header.")
              ? ex.request().getHeader(parameter.substring("header.".length()))
              : ex.request().getParam(parameter.substring("querystring.".length()));
      key.append('\n').append(parameter).append('=').append(value);
    }
    if (ex.apiKey != null) {
      key.append("\nkey=").append(ex.apiKey.id());
    }
    if (ex.claims != null) {
      key.append("\nsub=").append(ex.claims.get("iss")).append('|').append(ex.claims.get("sub"));
    }
    return key.toString();
  }
}
