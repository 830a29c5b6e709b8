package dev.portico.alarm.eval;

/**
 * Which datapoints an alarm period is built from. metrics-service emits periods of 1 s (high
 * resolution metrics only), 60 s, 300 s and 3600 s; any other alarm period is rolled up from the
 * largest emitted period that divides it (docs/metrics.md): 120 s from 60 s, 900 s from 300 s, 10 s
 * from 1 s.
 */
public final class Periods {
  private static final int[] EMITTED = {3600, 300, 60, 1};

  private Periods() {}

  /** The emitted period (seconds) an alarm of {@code period} seconds reads. */
  public static int source(int period) {
    for (int emitted : EMITTED) {
      if (period % emitted == 0) {
        return emitted;
      }
    }
    return 1;
  }
}
