package dev.portico.alarm.eval;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.portico.contracts.Sketches;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * metrics-service's sketches, read and merged through the shared codec ({@link Sketches}). An
 * unreadable sketch is logged once and yields no value (the period then counts as missing for
 * percentile alarms).
 */
public final class DdSketches implements PercentileSketch {
  private static final Logger LOG = LoggerFactory.getLogger(DdSketches.class);
  private volatile boolean warned;

  @Override
  public OptionalDouble valueAt(String sketch, double quantile) {
    DDSketch decoded = decode(sketch);
    if (decoded == null || decoded.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(decoded.getValueAtQuantile(quantile));
  }

  @Override
  public String merge(String a, String b) {
    DDSketch left = decode(a);
    DDSketch right = decode(b);
    if (left == null || right == null) {
      return null;
    }
    left.mergeWith(right);
    try {
      return Sketches.toBase64(left);
    } catch (RuntimeException e) {
      warn(e);
      return null;
    }
  }

  private DDSketch decode(String sketch) {
    if (sketch == null || sketch.isEmpty()) {
      return null;
    }
    try {
      return Sketches.fromBase64(sketch);
    } catch (IllegalArgumentException unreadable) {
      warn(unreadable);
      return null;
    }
  }

  private void warn(Throwable unreadable) {
    if (!warned) {
      warned = true;
      LOG.warn("Cannot read a datapoint's percentile sketch: {}", unreadable.toString());
    }
  }
}
