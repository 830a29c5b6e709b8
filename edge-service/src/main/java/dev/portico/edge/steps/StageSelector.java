package dev.portico.edge.steps;

import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.Release;
import dev.portico.edge.serving.ServingStage;
import dev.portico.edge.serving.ServingState;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The stage a request is for, from the first segment of its path ({@code /{stage}/{resource}}), and
 * the stage's release that serves it: the canary's share of requests go to the canary release, and
 * their answers carry {@code X-Portico-Canary: true}. An unknown stage is 404 {@code Not Found}.
 */
public final class StageSelector implements Step {
  private final Supplier<ServingState> state;

  public StageSelector(Supplier<ServingState> state) {
    this.state = state;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    String path = ex.request().path();
    int slash = path.indexOf('/', 1);
    String stageName = slash < 0 ? path.substring(1) : path.substring(1, slash);
    ex.selectStage(stageName, slash < 0 ? "/" : path.substring(slash));
    ServingStage stage = state.get().stage(stageName);
    if (stage == null) {
      return Future.failedFuture(
          new GatewayException(GatewayError.NOT_FOUND, "no stage " + stageName));
    }
    Release release = stage.pick();
    ex.selectRelease(release);
    if (release.canary()) {
      ex.request().response().putHeader("x-portico-canary", "true");
    }
    return NEXT;
  }
}
