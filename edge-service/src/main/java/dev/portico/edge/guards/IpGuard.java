package dev.portico.edge.guards;

import dev.portico.edge.http.Exchange;
import dev.portico.edge.http.GatewayError;
import dev.portico.edge.http.Guard;
import dev.portico.edge.http.Rejection;
import io.vertx.core.Future;

/** The API's and the stage's resource policies on the source address: 403 Forbidden. */
public final class IpGuard implements Guard {
  @Override
  public Future<Void> check(Exchange ex) {
    var release = ex.release();
    if (release.policies().ipPolicy().isOpen() && release.stageIpPolicy().isOpen()) {
      return Future.succeededFuture();
    }
    String source =
        ex.request().remoteAddress() == null ? null : ex.request().remoteAddress().hostAddress();
    if (release.policies().ipPolicy().permits(source) && release.stageIpPolicy().permits(source)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
  }
}
