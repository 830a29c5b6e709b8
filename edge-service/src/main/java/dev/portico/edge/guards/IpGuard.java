package dev.portico.edge.guards;

import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.Release;
import io.vertx.core.Future;

/**
 * The API's and the stage's resource policies on the source address. The gateway applies them
 * first, as soon as the stage is known: before CORS answers a preflight, before routing, before a
 * WebSocket upgrade takes a connection token; a request they refuse gets 403 Forbidden.
 */
public final class IpGuard implements Step {
  @Override
  public Future<Integer> apply(Exchange ex) {
    return permits(ex)
        ? NEXT
        : Future.failedFuture(
            new GatewayException(
                GatewayError.FORBIDDEN, "source address refused by the IP policy"));
  }

  private static boolean permits(Exchange ex) {
    Release release = ex.release();
    if (release.policies().ipPolicy().isOpen() && release.stageIpPolicy().isOpen()) {
      return true;
    }
    String source =
        ex.request().remoteAddress() == null ? null : ex.request().remoteAddress().hostAddress();
    return release.policies().ipPolicy().permits(source) && release.stageIpPolicy().permits(source);
  }
}
