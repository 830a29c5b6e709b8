package dev.portico.edge.request;

import io.vertx.core.Future;

/**
 * One step of the data plane's chain: a check of a request (the IP policy, the API key, ...) or a
 * part of serving it (the cache, the integration). The chain runs its steps in order, each once the
 * one before it has handed the request on.
 *
 * <p>A step completes with {@link #NEXT} to hand the request on; with the status of the answer it
 * wrote to end the chain there (a CORS preflight, a cached answer, an integration's answer); or
 * fails to refuse the request: with a {@link Rejection} (answered as it says) or a {@link
 * GatewayException} (a gateway error). What a step learns about the request it sets on the {@link
 * Exchange}, for the steps after it.
 */
@FunctionalInterface
public interface Step {
  /** The request goes on to the next step (a shared, already completed future: no allocation). */
  Future<Integer> NEXT = Future.succeededFuture();

  Future<Integer> apply(Exchange exchange);

  /**
   * Whether this step serves the request (the cache, the integration) rather than checks it: the
   * integration's latency is timed from the first such step of the chain to the answer.
   */
  default boolean serves() {
    return false;
  }
}
