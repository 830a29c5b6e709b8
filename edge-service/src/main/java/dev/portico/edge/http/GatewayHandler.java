package dev.portico.edge.http;

import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.observe.RequestEventPublisher;
import dev.portico.edge.observe.RequestTimers;
import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.RequestIds;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.Release;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: runs each request through the chain of {@link Step}s, in the one order given to
 * it (EdgeService declares it: stage, IP policy, CORS, ..., the integration), until one answers or
 * refuses it, then answers a refusal and accounts for the request (access log, request event,
 * timer). Every response carries {@code x-portico-request-id}; gateway errors also carry {@code
 * x-portico-error-type} and a JSON {@code message}. A failure that is neither a {@link Rejection}
 * nor a gateway error is a bug: logged, 500.
 */
public final class GatewayHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

  private final Step[] chain;

  /** The first step that serves rather than checks: the integration's clock starts there. */
  private final int firstServing;

  private final RequestEventPublisher events;
  private final RequestTimers timers;

  /**
   * @param chain the steps in the order they run
   * @param events where each request's event goes, or {@code null}
   */
  public GatewayHandler(List<Step> chain, RequestEventPublisher events, MeterRegistry registry) {
    this.chain = chain.toArray(Step[]::new);
    int serving = 0;
    while (serving < this.chain.length && !this.chain[serving].serves()) {
      serving++;
    }
    this.firstServing = serving;
    this.events = events;
    this.timers = new RequestTimers(registry);
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      // Steps may answer later (a JWT is checked on a worker): hold the body until a step reads
      // it, or it would be consumed, and its end lost, in the meantime.
      request.pause();
      Exchange ex = new Exchange(request, RequestIds.next());
      request.response().putHeader("x-portico-request-id", ex.requestId());
      proceed(ex, 0);
    } catch (RuntimeException e) {
      // A bug must cost one request a 500, never leave it hanging until the idle timeout.
      LOG.error("Request failed in the gateway", e);
      error(request.response(), GatewayError.INTERNAL_ERROR);
    }
  }

  /**
   * Runs the steps from {@code from} on while each hands the request on at once; a step that
   * answers later resumes the chain from its successor.
   */
  private void proceed(Exchange ex, int from) {
    for (int i = from; i < chain.length; i++) {
      if (i == firstServing) {
        ex.integrationStarts(System.nanoTime());
      }
      Future<Integer> outcome;
      try {
        outcome = chain[i].apply(ex);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      if (!outcome.isComplete()) {
        int next = i + 1;
        outcome.onComplete(
            later -> {
              if (handedOn(ex, later)) {
                proceed(ex, next);
              }
            });
        return;
      }
      if (!handedOn(ex, outcome)) {
        return;
      }
    }
    handedOn(ex, Future.failedFuture(new IllegalStateException("no step answered")));
  }

  /** Whether a step handed the request on; if not, the request is done: its answer is settled. */
  private boolean handedOn(Exchange ex, AsyncResult<Integer> outcome) {
    if (outcome.succeeded() && outcome.result() == null) {
      return true;
    }
    ex.integrationEnds(System.nanoTime());
    try {
      if (outcome.succeeded()) {
        ex.end(outcome.result(), null, null);
        finish(ex);
      } else {
        refuse(ex, outcome.cause());
      }
    } catch (RuntimeException e) {
      // A bug here must not leave the client waiting for the idle timeout.
      LOG.error("Request {} failed while answering", ex.requestId(), e);
      error(ex.request().response(), GatewayError.INTERNAL_ERROR);
    }
    return false;
  }

  /**
   * Answers a step's failure: a rejection as it says; a gateway error with its message; a failure
   * of the integration (or of reading the body for it) with the error it maps to, the target and
   * for a timeout how long the edge waited named in the access log; anything else is a bug, 500.
   */
  private void refuse(Exchange ex, Throwable cause) {
    if (cause instanceof Rejection rejection) {
      reject(ex, rejection);
      return;
    }
    if (cause instanceof GatewayException refusal) {
      fail(ex, refusal.error(), refusal.getMessage());
      return;
    }
    GatewayError error = GatewayError.INTERNAL_ERROR;
    if (cause instanceof IntegrationException e) {
      error = e.error();
    } else if (cause instanceof BodyReader.TooLarge) {
      error = GatewayError.REQUEST_TOO_LARGE;
    } else if (cause instanceof BodyReader.Broken) {
      error = GatewayError.BAD_REQUEST;
    } else {
      LOG.error("Request {} failed", ex.requestId(), cause);
    }
    String detail =
        ex.integration() == null
            ? cause.getMessage()
            : ex.integration().target() + ": " + cause.getMessage();
    if (error == GatewayError.INTEGRATION_TIMEOUT) {
      detail += "; waited " + Math.round(ex.integrationLatencyMs()) + " ms";
    }
    fail(ex, error, detail);
  }

  private void reject(Exchange ex, Rejection rejection) {
    drain(ex.request());
    ex.end(rejection.status(), rejection.type(), rejection.getMessage());
    HttpServerResponse response = ex.request().response();
    if (!response.ended() && !response.closed()) {
      rejection.headers().forEach(response::putHeader);
      JsonObject body = new JsonObject().put("message", rejection.getMessage());
      if (!rejection.violations().isEmpty()) {
        body.put("violations", new JsonArray(rejection.violations()));
      }
      response
          .setStatusCode(rejection.status())
          .putHeader("content-type", "application/json")
          .putHeader("x-portico-error-type", rejection.type())
          .end(body.encode());
    }
    finish(ex);
  }

  private void fail(Exchange ex, GatewayError error, String detail) {
    drain(ex.request());
    ex.end(error.status(), error.type(), detail);
    if (error == GatewayError.REQUEST_TOO_LARGE && !ex.request().isEnded()) {
      // The client may still be sending; do not keep the connection for a body nobody reads.
      ex.request().response().putHeader("connection", "close");
    }
    error(ex.request().response(), error);
    finish(ex);
  }

  /** Writes a gateway error's JSON answer, unless an answer is already (being) written. */
  static void error(HttpServerResponse response, GatewayError error) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.headers().remove("content-length");
    response
        .setStatusCode(error.status())
        .putHeader("content-type", "application/json")
        .putHeader("x-portico-error-type", error.type())
        .end(new JsonObject().put("message", error.message()).encode());
  }

  /** Reads and drops a body nobody will read, so the connection stays usable. */
  private static void drain(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.resume();
    }
  }

  private void finish(Exchange ex) {
    AccessLog.write(ex);
    Release release = ex.release();
    if (release == null) {
      return;
    }
    if (events != null) {
      events.publish(ex.toEvent());
    }
    timers.record(
        release.apiName(),
        release.stage(),
        ex.request().method().name(),
        ex.resource(),
        ex.status(),
        release.canary(),
        ex.elapsedNanos());
  }
}
