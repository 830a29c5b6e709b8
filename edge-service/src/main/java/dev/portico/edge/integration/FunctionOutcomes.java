package dev.portico.edge.integration;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.edge.request.GatewayError;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * What the function metrics count of one function invocation, the same for a REST route, a
 * WebSocket route and an authorizer: the outcome ({@link RequestEvent.Outcome}) and, when the
 * function answered, the milliseconds from the request event's send to its reply.
 */
public final class FunctionOutcomes {
  /** Receives an invocation's outcome and its duration (0 when there was no reply to time). */
  @FunctionalInterface
  public interface Sink {
    void accept(String outcome, double durationMs);
  }

  private FunctionOutcomes() {}

  /**
   * An answer (OK or ERROR by its status), a malformed answer or a timeout; {@code null} when the
   * function was never reached (Kafka did not take the event).
   */
  public static String of(FunctionResponse answer, Throwable failure) {
    if (answer != null) {
      return answer.statusCode() >= 500 ? RequestEvent.Outcome.ERROR : RequestEvent.Outcome.OK;
    }
    GatewayError error = failure instanceof IntegrationException e ? e.error() : null;
    if (error == GatewayError.MALFORMED_INTEGRATION_RESPONSE) {
      return RequestEvent.Outcome.MALFORMED;
    }
    return error == GatewayError.INTEGRATION_TIMEOUT ? RequestEvent.Outcome.TIMEOUT : null;
  }

  /** Whether the function answered (well formed or not): its duration counts. */
  public static boolean answered(String outcome) {
    return RequestEvent.Outcome.OK.equals(outcome)
        || RequestEvent.Outcome.ERROR.equals(outcome)
        || RequestEvent.Outcome.MALFORMED.equals(outcome);
  }

  /**
   * Runs {@code invocation} (a {@code KafkaFunctionClient.invoke}) and, once it completes, tells
   * {@code sink} its outcome, unless the function was never reached.
   */
  public static Future<FunctionResponse> observe(
      Supplier<Future<FunctionResponse>> invocation, Sink sink) {
    long sent = System.nanoTime();
    return invocation
        .get()
        .andThen(
            done -> {
              String outcome = of(done.succeeded() ? done.result() : null, done.cause());
              if (outcome != null) {
                sink.accept(outcome, answered(outcome) ? (System.nanoTime() - sent) / 1e6 : 0);
              }
            });
  }

  /** An async invocation: ACCEPTED once Kafka took the event; nothing when it did not. */
  public static <T> Future<T> observePublish(Supplier<Future<T>> publish, Sink sink) {
    return publish.get().onSuccess(v -> sink.accept(RequestEvent.Outcome.ACCEPTED, 0));
  }
}
