package dev.portico.bench;

import org.HdrHistogram.Histogram;

/** Collects latencies and outcome counts of the measured phase; used from a single event loop. */
final class LatencyRecorder {
  // 3 significant digits in microseconds (within 0.1%, so a 0.01 ms report is exact below 10 ms);
  // auto-resizing so a pathological stall is recorded as-is instead of being clamped.
  private final Histogram micros = new Histogram(3);
  private long completed;
  private long non2xx;
  private long errors;
  private long lastCompletionNanos;

  /** Records a response that arrived; non-2xx responses still count as completed work. */
  void response(int status, long latencyNanos, long completionNanos) {
    micros.recordValue(Math.max(0, latencyNanos / 1_000));
    completed++;
    if (status < 200 || status > 299) {
      non2xx++;
    }
    lastCompletionNanos = Math.max(lastCompletionNanos, completionNanos);
  }

  /**
   * Records a failure without a response (connect error, reset, timeout): kept out of latencies.
   */
  void error() {
    errors++;
  }

  /** Adds requests that never finished before the drain deadline. */
  void unfinished(long count) {
    errors += count;
  }

  /**
   * Throughput over the measured window, stretched to the last completion so a server that falls
   * behind shows a lower rate rather than the offered one.
   */
  double achievedPerSecond(long measureStartNanos, long measureEndNanos) {
    long end = Math.max(measureEndNanos, lastCompletionNanos);
    double seconds = (end - measureStartNanos) / 1e9;
    return seconds <= 0 ? 0 : completed / seconds;
  }

  /**
   * @param cpu the CPU use of the measured window, or null when the generator does not measure it
   */
  LoadResult result(
      String scenario,
      String rate,
      int connections,
      long measureStartNanos,
      long measureEndNanos,
      CpuUse cpu) {
    return LoadResult.of(
        scenario,
        rate,
        connections,
        achievedPerSecond(measureStartNanos, measureEndNanos),
        micros,
        non2xx,
        errors,
        cpu);
  }
}
