package dev.portico.metrics.ingest;

import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.RequestEvent.Outcome;
import dev.portico.metrics.model.CellId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a function's share of a gateway event ({@link FunctionCall}) into Lambda-style metrics in
 * namespace {@code Portico/Functions}, as the edge saw the invocation.
 *
 * <p>An invocation (the function was reached: OK, ERROR, MALFORMED, TIMEOUT, or ACCEPTED in async
 * mode) gives Invocations (1), Errors (1 for a 5xx or malformed reply, else 0) and Timeouts (1 or
 * 0), so their Average is a rate over invocations; one the function answered also gives Duration
 * (ms, send to reply). A request a throttle refused gives Throttles (1) and nothing else; a late
 * reply gives LateReplies (1) and nothing else. All in the cell {FunctionName, Stage} (or
 * {FunctionName} for an event without stage); {@link FunctionRollup} adds {FunctionName}.
 */
public final class FunctionMetrics {
  public static final String NAMESPACE = "Portico/Functions";
  public static final String FUNCTION_NAME = "FunctionName";
  public static final String STAGE = "Stage";

  private static final MetricSample INVOCATION = count("Invocations", true);
  private static final MetricSample[] ERRORS = {count("Errors", false), count("Errors", true)};
  private static final MetricSample[] TIMEOUTS = {
    count("Timeouts", false), count("Timeouts", true)
  };
  private static final MetricSample THROTTLE = count("Throttles", true);
  private static final MetricSample LATE_REPLY = count("LateReplies", true);

  private final boolean highResolution;

  /**
   * @param highResolution also aggregate per second (as the gateway metrics)
   */
  public FunctionMetrics(boolean highResolution) {
    this.highResolution = highResolution;
  }

  /** The call's samples, or empty when its function or outcome cannot be counted. */
  public Optional<CellSample> samples(FunctionCall call) {
    if (call == null || !DatumRules.isDimensionValue(call.function())) {
      return Optional.empty();
    }
    List<MetricSample> metrics = new ArrayList<>(4);
    switch (call.outcome() == null ? "" : call.outcome()) {
      case Outcome.OK, Outcome.ERROR, Outcome.MALFORMED, Outcome.TIMEOUT, Outcome.ACCEPTED -> {
        metrics.add(INVOCATION);
        boolean error =
            call.outcome().equals(Outcome.ERROR) || call.outcome().equals(Outcome.MALFORMED);
        metrics.add(ERRORS[error ? 1 : 0]);
        metrics.add(TIMEOUTS[call.outcome().equals(Outcome.TIMEOUT) ? 1 : 0]);
        if (call.durationMs() != null && !call.outcome().equals(Outcome.TIMEOUT)) {
          metrics.add(new MetricSample.Single("Duration", "Milliseconds", call.durationMs()));
        }
      }
      case Outcome.THROTTLED -> metrics.add(THROTTLE);
      case RequestEvent.LATE_REPLY -> metrics.add(LATE_REPLY);
      default -> {
        return Optional.empty();
      }
    }
    CellId cell =
        DatumRules.isDimensionValue(call.stage())
            ? CellId.of(NAMESPACE, Map.of(FUNCTION_NAME, call.function(), STAGE, call.stage()))
            : CellId.of(NAMESPACE, Map.of(FUNCTION_NAME, call.function()));
    return Optional.of(new CellSample(cell, call.time(), highResolution, metrics));
  }

  private static MetricSample count(String name, boolean one) {
    return new MetricSample.Single(name, "Count", one ? 1 : 0);
  }
}
