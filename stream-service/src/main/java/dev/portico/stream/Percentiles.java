package dev.portico.stream;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a datapoint's percentile sketch, metrics-service's format (docs/metrics.md): base64 of
 * DDSketch's compact binary encoding, index mapping included (1% relative accuracy), dense stores
 * of at most 2,048 bins. A percentile is clamped to [Minimum, Maximum], as metrics-service's query
 * API does, so both sources agree.
 */
final class Percentiles {
  private static final int MAX_BINS = 2048;

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
    DDSketch decoded;
    try {
      decoded =
          DDSketch.decode(
              ByteArrayInput.wrap(Base64.getDecoder().decode(sketch)),
              () -> new CollapsingLowestDenseStore(MAX_BINS));
    } catch (Exception | AssertionError unreadable) {
      throw new IllegalArgumentException("Not a DDSketch encoding: " + unreadable, unreadable);
    }
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
