package dev.portico.edge.steps;

import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.api.Integration;
import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * The stage's response cache, before the integration: a cached answer ends the chain ({@code
 * X-Cache: Hit}; the request's body is dropped, within its limit); a miss goes on to the
 * integration ({@code X-Cache: Miss}), whose answer {@link CacheStore} keeps. Which routes are
 * cached and under which key is {@link StageCaches}'s rule; {@code http} integrations (streamed
 * through), async {@code kafka} ones (no answer to keep) and WebSocket upgrades never are. A
 * client's refused {@code Cache-Control: max-age=0} is 403.
 */
public final class CacheLookup implements Step {
  private final StageCaches caches;

  public CacheLookup(StageCaches caches) {
    this.caches = caches;
  }

  @Override
  public boolean serves() {
    return true;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    if (ex.isWebSocket() || !cacheable(ex.integration())) {
      return NEXT;
    }
    HttpServerRequest request = ex.request();
    StageCaches.Lookup lookup =
        caches.lookup(
            ex.release(),
            ex.match(),
            request,
            ex.apiKey(),
            ex.claims(),
            ex.authorizer() == null ? null : ex.authorizer().caller());
    if (lookup == null) {
      return NEXT;
    }
    FunctionResponse cached;
    try {
      cached =
          caches.get(
              lookup,
              request.getHeader("cache-control"),
              ex.apiKey() != null || ex.claims() != null || ex.authorizer() != null);
    } catch (StageCaches.InvalidationRefused refused) {
      return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
    }
    ex.cacheLookedUp(lookup, cached != null);
    request.response().putHeader("x-cache", cached != null ? "Hit" : "Miss");
    if (cached == null) {
      return NEXT;
    }
    return BodyReader.discard(request, ex.bodyLimit())
        .map(v -> ResponseWriter.write(request.response(), cached));
  }

  private static boolean cacheable(Integration integration) {
    return !(integration instanceof Integration.Http)
        && !(integration instanceof Integration.Kafka kafka
            && kafka.mode() == Integration.Mode.ASYNC);
  }
}
