package dev.portico.edge.cache;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
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
 *
 * <p>The chain's {@code CacheLookup} and {@code CacheStore} steps apply these rules to a request.
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

  /**
   * Where a cacheable request stands: its stage's cache and settings, its key and lifetime.
   *
   * @param settings the stage cache's settings when the request was looked up
   */
  public record Lookup(
      ResponseCache cache, String key, int ttlSeconds, StageSettings.CacheSettings settings) {}

  /** A client asked for a fresh answer without the authorization the stage requires for it. */
  public static final class InvalidationRefused extends RuntimeException {
    InvalidationRefused() {
      super("invalidation needs an authorized request", null, false, false);
    }
  }

  /**
   * Where the answer to a request is cached, or {@code null} when its route's answers are not.
   *
   * @param apiKey the key that authorized the request, or {@code null}
   * @param claims the claims of the token that authorized it, or {@code null}
   * @param functionCaller the identity an authorizer function allowed, or {@code null}
   */
  public Lookup lookup(
      Release release,
      RouteMatch match,
      HttpServerRequest request,
      ApiKeyRecord apiKey,
      Map<String, Object> claims,
      String functionCaller) {
    StageSettings settings = release.settings();
    StageSettings.CacheSettings cache = settings.cache();
    if (cache == null || !release.usesStageCache()) {
      return null;
    }
    String routeKey = match.route().routeKey();
    StageSettings.MethodSettings method = settings.methodSettings().get(routeKey);
    if (method == null || !Boolean.TRUE.equals(method.cachingEnabled())) {
      return null;
    }
    String verb = request.method().name();
    if (!verb.equals("GET") && !cache.cacheNonGet()) {
      return null;
    }
    int ttl = method.cacheTtlSeconds() != null ? method.cacheTtlSeconds() : cache.ttlSeconds();
    if (ttl <= 0) {
      return null;
    }
    ResponseCache stageCache =
        caches.computeIfAbsent(
            release.stage() + "|" + cache.sizeBytes(),
            k -> new ResponseCache(cache.sizeBytes(), clock));
    return new Lookup(
        stageCache, key(release, match, request, verb, apiKey, claims, functionCaller), ttl, cache);
  }

  /**
   * The cached answer for a request, or {@code null} (a miss). A client's {@code Cache-Control:
   * max-age=0} (or {@code no-cache}) drops the entry when the client may: with {@code
   * requireAuthorizationForInvalidation} only an authorized request may, and others are refused
   * ({@link InvalidationRefused}: 403) or ignored, per the stage's setting.
   *
   * @param cacheControl the request's {@code Cache-Control}, or {@code null}
   * @param authorized whether an API key or a token authorized the request
   */
  public FunctionResponse get(Lookup lookup, String cacheControl, boolean authorized) {
    CacheControl control = CacheControl.parse(cacheControl);
    if (control.asksForFresh()) {
      StageSettings.CacheSettings cache = lookup.settings();
      if (!cache.requireAuthorizationForInvalidation() || authorized) {
        lookup.cache().invalidate(lookup.key());
        misses.increment();
        return null;
      }
      if (!"IGNORE".equals(cache.unauthorizedInvalidation())) {
        throw new InvalidationRefused();
      }
    }
    FunctionResponse cached = lookup.cache().get(lookup.key(), lookup.settings().flushedAt());
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

  private static String key(
      Release release,
      RouteMatch match,
      HttpServerRequest request,
      String verb,
      ApiKeyRecord apiKey,
      Map<String, Object> claims,
      String functionCaller) {
    StringBuilder key =
        new StringBuilder(release.stage())
            .append('\n')
            .append(verb)
            .append('\n')
            .append(match.route().path().template());
    new TreeMap<>(match.pathParameters())
        .forEach((k, v) -> key.append('\n').append(k).append('=').append(v));
    for (String parameter : match.route().options().cacheKeyParameters()) {
      String value =
          parameter.startsWith("header.")
              ? request.getHeader(parameter.substring("header.".length()))
              : request.getParam(parameter.substring("querystring.".length()));
      key.append('\n').append(parameter).append('=').append(value);
    }
    if (apiKey != null) {
      key.append("\nkey=").append(apiKey.id());
    }
    if (claims != null) {
      key.append("\nsub=").append(claims.get("iss")).append('|').append(claims.get("sub"));
    }
    if (functionCaller != null) {
      key.append("\nauthorizer=").append(functionCaller);
    }
    return key.toString();
  }
}
