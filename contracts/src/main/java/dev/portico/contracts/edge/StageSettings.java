package dev.portico.contracts.edge;

import java.util.List;
import java.util.Map;

/**
 * A stage's settings beyond its deployment and variables.
 *
 * @param throttle the stage's default bucket for every method, or {@code null}
 * @param methodSettings per {@code METHOD /path}: a bucket and the response cache
 * @param cache the stage's response cache, or {@code null} (off)
 * @param ipAllow CIDR blocks allowed (empty = any); {@code ipDeny} wins over it
 */
public record StageSettings(
    ThrottleSettings throttle,
    Map<String, MethodSettings> methodSettings,
    CacheSettings cache,
    List<String> ipAllow,
    List<String> ipDeny) {
  public static final StageSettings NONE =
      new StageSettings(null, Map.of(), null, List.of(), List.of());

  public StageSettings {
    methodSettings = methodSettings == null ? Map.of() : Map.copyOf(methodSettings);
    ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
    ipDeny = ipDeny == null ? List.of() : List.copyOf(ipDeny);
  }

  /**
   * @param cachingEnabled whether this route's responses are cached (needs the stage cache on)
   * @param cacheTtlSeconds 0-3600; {@code null} = the stage cache's default
   */
  public record MethodSettings(
      ThrottleSettings throttle, Boolean cachingEnabled, Integer cacheTtlSeconds) {}

  /**
   * @param sizeBytes bound on all cached bodies of the stage (LRU eviction)
   * @param ttlSeconds default entry lifetime, 0-3600 (0 = off)
   * @param requireAuthorizationForInvalidation whether a client's {@code Cache-Control: max-age=0}
   *     needs an authorized request (a valid API key or token) to invalidate
   * @param unauthorizedInvalidation {@code FAIL_WITH_403} or {@code IGNORE}
   * @param cacheNonGet whether methods other than GET may be cached
   * @param flushedAt epoch ms of the last flush: entries stored before it are gone
   */
  public record CacheSettings(
      long sizeBytes,
      int ttlSeconds,
      boolean requireAuthorizationForInvalidation,
      String unauthorizedInvalidation,
      boolean cacheNonGet,
      long flushedAt) {

    public CacheSettings flushed(long at) {
      return new CacheSettings(
          sizeBytes,
          ttlSeconds,
          requireAuthorizationForInvalidation,
          unauthorizedInvalidation,
          cacheNonGet,
          at);
    }
  }
}
