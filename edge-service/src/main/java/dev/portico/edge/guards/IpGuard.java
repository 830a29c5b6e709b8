package dev.portico.edge.guards;

import dev.portico.edge.http.Exchange;

/**
 * The API's and the stage's resource policies on the source address. The gateway applies them
 * first, as soon as the stage is known: before CORS answers a preflight, before routing, before a
 * WebSocket upgrade takes a connection token; a request they refuse gets 403 Forbidden.
 */
public final class IpGuard {
  public boolean permits(Exchange ex) {
    var release = ex.release();
    if (release.policies().ipPolicy().isOpen() && release.stageIpPolicy().isOpen()) {
      return true;
    }
    String source =
        ex.request().remoteAddress() == null ? null : ex.request().remoteAddress().hostAddress();
    return release.policies().ipPolicy().permits(source) && release.stageIpPolicy().permits(source);
  }
}
