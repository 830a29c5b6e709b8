package dev.portico.stream;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.portico.contracts.Sketches;
import java.util.Optional;

/**
 * Reads a datapoint's percentile sketch through the shared codec ({@link Sketches}). A percentile
 * is clamped to [Minimum, Maximum], as metrics-service's query API does, so both sources agree.
 */
final class Percentiles {
  private final DDSketch sketch;
  private final double minimum;
  private final double maximum;

  private Percentiles(DDSketch sketch, double minimum, double maximum) {
    this.sketch = sketch;
    this.minimum = minimum;
    this.maximum = maximum;
  }

  /**
   * The sketch's percentiles; empty when there is none (the period had statistic sets) or it holds
   * no value.
   *
   * @throws IllegalArgumentException when the sketch is not a DDSketch encoding
   */
  static Optional<Percentiles> of(String sketch, double minimum, double maximum) {
    if (sketch == null || sketch.isEmpty()) {
      return Optional.empty();
    }
    DDSketch decoded = Sketches.fromBase64(sketch);
    return decoded.isEmpty()
        ? Optional.empty()
        : Optional.of(new Percentiles(decoded, minimum, maximum));
  }

  /** The value at {@code percent} (0-100), within 1% of the exact sample of that rank. */
  double at(double percent) {
    double value = sketch.getValueAtQuantile(percent / 100.0);
    return Math.max(minimum, Math.min(maximum, value));
  }
}
