package dev.portico.edge.steps;

import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Step;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import dev.portico.edge.websocket.WebSocketGateway;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The route a request takes in its release's route table. No route: 403 {@code Missing
 * Authentication Token}, as API Gateway answers; a path whose escapes cannot be decoded: 400. A
 * WebSocket upgrade at the stage's root, on a stage whose API has {@code x-portico-websocket},
 * takes {@code $connect}'s route instead, once it is admitted under the connection limits (429
 * {@code Limit Exceeded} beyond them).
 */
public final class RouteLookup implements Step {
  private final WebSocketGateway webSockets;

  /**
   * @param webSockets the WebSocket side, or {@code null} to route upgrades like any request
   */
  public RouteLookup(WebSocketGateway webSockets) {
    this.webSockets = webSockets;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    Release release = ex.release();
    if (webSockets != null
        && release.websocket() != null
        && ex.resourcePath().equals("/")
        && WebSocketGateway.isUpgrade(ex.request())) {
      // An upgrade even when refused: it counts as a connect in the request events.
      ex.routeTo(null, true);
      if (!webSockets.admit()) {
        return Future.failedFuture(
            new GatewayException(GatewayError.LIMIT_EXCEEDED, "new WebSocket connections"));
      }
      ex.routeTo(WebSocketGateway.connectMatch(release.websocket()), true);
      return NEXT;
    }
    Optional<RouteMatch> match;
    try {
      match = release.routes().match(ex.request().method().name(), ex.resourcePath());
    } catch (IllegalArgumentException badEncoding) {
      return Future.failedFuture(
          new GatewayException(GatewayError.BAD_PATH, badEncoding.getMessage()));
    }
    if (match.isEmpty()) {
      return Future.failedFuture(
          new GatewayException(GatewayError.MISSING_AUTHENTICATION_TOKEN, "no route"));
    }
    ex.routeTo(match.get(), false);
    return NEXT;
  }
}
