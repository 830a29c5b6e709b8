package dev.portico.edge.steps;

import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;

/**
 * Keeps the integration's answer in the stage's response cache when {@link CacheLookup} missed it,
 * before it is written: if {@link StageCaches} finds it storable (a 2xx without {@code Set-Cookie}
 * whose {@code Cache-Control} allows).
 */
public final class CacheStore implements Step {
  private final StageCaches caches;

  public CacheStore(StageCaches caches) {
    this.caches = caches;
  }

  @Override
  public boolean serves() {
    return true;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    if (ex.cacheLookup() != null && ex.response() != null) {
      caches.put(ex.cacheLookup(), ex.response());
    }
    return NEXT;
  }
}
