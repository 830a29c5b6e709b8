package dev.portico.alarm.eval;

import java.util.OptionalDouble;

/**
 * Reads and merges datapoints' serialized sketches. The format is metrics-service's (see
 * docs/metrics.md); keeping it behind this interface lets the format evolve in one place.
 */
public interface PercentileSketch {
  /**
   * @param sketch the datapoint's {@code sketch} field (base64)
   * @param quantile 0 to 1
   * @return the value at the quantile, or empty when the sketch is absent or unreadable
   */
  OptionalDouble valueAt(String sketch, double quantile);

  /** Both periods' values in one sketch; null when either is absent or unreadable. */
  String merge(String a, String b);
}
