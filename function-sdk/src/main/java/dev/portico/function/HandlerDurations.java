package dev.portico.function;

import java.util.Arrays;

/**
 * A histogram of handler times in seconds, Prometheus style: fixed upper bounds (the same in the
 * Node.js and Python SDKs, so their scrapes aggregate together), a count and a sum. Not
 * thread-safe: {@link Tally} guards it.
 */
final class HandlerDurations {
  /** Upper bounds in seconds; a last, implicit bucket is {@code +Inf}. */
  static final double[] BOUNDS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final long[] counts = new long[BOUNDS.length + 1];
  private double sum;

  void observe(double seconds) {
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    counts[i]++;
    sum += seconds;
  }

  void add(HandlerDurations other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    sum += other.sum;
  }

  HandlerDurations copy() {
    HandlerDurations copy = new HandlerDurations();
    copy.add(this);
    return copy;
  }

  /** Observations at most {@code BOUNDS[i]} (the last: all of them). */
  long[] cumulative() {
    long[] cumulative = Arrays.copyOf(counts, counts.length);
    for (int i = 1; i < cumulative.length; i++) {
      cumulative[i] += cumulative[i - 1];
    }
    return cumulative;
  }

  long count() {
    return Arrays.stream(counts).sum();
  }

  double sum() {
    return sum;
  }
}
