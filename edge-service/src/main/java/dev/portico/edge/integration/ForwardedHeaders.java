package dev.portico.edge.integration;

import dev.portico.edge.policy.Cidr;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;

/**
 * The {@code X-Forwarded-For/Proto/Host/Port} and request-id headers an {@code http} integration
 * adds: {@code Proto/Host/Port} as a trusted load balancer sent them, else as the edge saw the
 * request.
 */
final class ForwardedHeaders {
  private final List<Cidr> trustedProxies;

  ForwardedHeaders(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  void add(HttpServerRequest request, HttpClientRequest backend, String requestId) {
    String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String prior = request.getHeader("x-forwarded-for");
    if (client != null) {
      backend.putHeader("x-forwarded-for", prior == null ? client : prior + ", " + client);
    }
    // Behind a trusted load balancer that terminated TLS, its view (https, the public host and
    // port) is the right one; from anyone else these headers could be forged.
    boolean viaProxy = client != null && trustedProxies.stream().anyMatch(c -> c.contains(client));
    String proto = viaProxy ? request.getHeader("x-forwarded-proto") : null;
    String host = viaProxy ? request.getHeader("x-forwarded-host") : null;
    String port = viaProxy ? request.getHeader("x-forwarded-port") : null;
    backend.putHeader(
        "x-forwarded-proto",
        proto != null ? proto : request.scheme() == null ? "http" : request.scheme());
    HostAndPort authority = request.authority();
    if (host != null) {
      backend.putHeader("x-forwarded-host", host);
    } else if (authority != null) {
      backend.putHeader("x-forwarded-host", authority.host());
    }
    if (port != null) {
      backend.putHeader("x-forwarded-port", port);
    } else if (authority != null && authority.port() > 0) {
      backend.putHeader("x-forwarded-port", Integer.toString(authority.port()));
    }
    backend.putHeader("x-portico-request-id", requestId);
  }
}
