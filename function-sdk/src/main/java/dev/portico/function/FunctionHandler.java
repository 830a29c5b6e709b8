package dev.portico.function;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;

/**
 * The code of a function: one request event in, one response event out. Records sent through {@link
 * FunctionContext#send} commit together with the response, in the same Kafka transaction.
 *
 * <p>A handler may run more than once for the same request (after a Kafka error or a crash the
 * uncommitted batch is processed again), but only one run's records and response ever become
 * visible. So effects that stay in Kafka happen exactly once; effects outside Kafka (HTTP calls,
 * emails) must be idempotent.
 */
@FunctionalInterface
public interface FunctionHandler {

  /**
   * Answers {@code request}. An exception (or a {@code null} response, or a status outside 100-599)
   * answers 500 {@code {"message":"Internal server error"}} instead, and discards the records this
   * call sent; the function goes on with the next request.
   */
  FunctionResponse handle(FunctionRequest request, FunctionContext context) throws Exception;
}
