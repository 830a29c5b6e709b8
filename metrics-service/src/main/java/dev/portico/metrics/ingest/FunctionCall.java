package dev.portico.metrics.ingest;

import dev.portico.contracts.RequestEvent;

/**
 * What the function metrics read of a gateway event, keyed by function on the {@code
 * function-by-name} repartition topic (JSON): a request's function outcome, or a late reply.
 *
 * @param outcome a {@link RequestEvent.Outcome}, or {@link RequestEvent#LATE_REPLY}
 * @param durationMs send to reply when the function answered, else {@code null}
 */
public record FunctionCall(
    String function, String stage, long time, String outcome, Double durationMs) {

  /** The function part of an event, or {@code null} when no function counts it. */
  public static FunctionCall of(RequestEvent event) {
    if (event == null || event.function() == null) {
      return null;
    }
    if (RequestEvent.LATE_REPLY.equals(event.eventType())) {
      return new FunctionCall(
          event.function(), event.stage(), event.time(), RequestEvent.LATE_REPLY, null);
    }
    if (event.functionOutcome() == null) {
      return null;
    }
    return new FunctionCall(
        event.function(),
        event.stage(),
        event.time(),
        event.functionOutcome(),
        event.functionDurationMs());
  }
}
