package dev.portico.edge.guards;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portico.edge.api.AuthorizerSettings;
import dev.portico.edge.api.RouteOptions;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT authorizer of routes whose security names one: {@code Authorization: Bearer <JWT>} signed
 * by the authorizer's keys, with its issuer and one of its audiences, not expired (leeway per
 * authorizer), carrying every scope the route lists ({@code scope} as a space-separated string or
 * {@code scp} as a list). No token: 401 {@code Unauthorized}; any other failure: 403 {@code
 * Forbidden}. The claims reach integrations in {@code requestContext.authorizer.claims}.
 * Verification runs on a worker: a JWKS fetch blocks, and an RSA check costs tens of microseconds.
 */
public final class JwtGuard implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(JwtGuard.class);
  private final Vertx vertx;
  private final JwtVerifiers verifiers = new JwtVerifiers();

  public JwtGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    RouteOptions options = ex.match().route().options();
    if (options.authorizer() == null) {
      return NEXT;
    }
    AuthorizerSettings settings = ex.release().policies().authorizers().get(options.authorizer());
    if (settings == null) {
      return NEXT; // an authorizer function: FunctionAuthorizerGuard's
    }
    String token = bearerToken(ex);
    if (token == null) {
      return Future.failedFuture(
          Rejection.of(GatewayError.UNAUTHORIZED, Map.of("www-authenticate", "Bearer")));
    }
    return vertx
        .executeBlocking(() -> verify(settings, token, options.scopes()), false)
        .compose(
            claims -> {
              if (claims == null) {
                return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
              }
              ex.authorizeClaims(claims);
              return NEXT;
            });
  }

  /**
   * The bearer token: {@code Authorization: Bearer}, or on a WebSocket connect the {@code
   * access_token} query parameter (RFC 6750 section 2.3). {@code null} when there is none.
   */
  private static String bearerToken(Exchange ex) {
    String header = ex.request().getHeader("authorization");
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
    String query = ex.isWebSocket() ? ex.request().getParam("access_token") : null;
    return query == null || query.isBlank() ? null : query;
  }

  /** The token's claims, or {@code null} when it must be refused. */
  private Map<String, Object> verify(
      AuthorizerSettings settings, String token, List<String> scopes) {
    try {
      JWTClaimsSet claims = verifiers.processor(settings).process(token, null);
      Map<String, Object> json = claims.toJSONObject();
      return Scopes.of(json).containsAll(scopes) ? json : null;
    } catch (Exception e) {
      LOG.debug("Token refused by {}: {}", settings.name(), e.getMessage());
      return null;
    }
  }
}
