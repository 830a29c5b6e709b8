package dev.portico.alarm.eval;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.util.Base64;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * metrics-service's sketches (docs/metrics.md): base64 of DDSketch's compact binary encoding
 * ({@code DDSketch.encode(output, false)}), index mapping included (1% relative accuracy), dense
 * stores of at most 2,048 bins collapsing the lowest magnitudes. An unreadable sketch is logged
 * once and yields no value (the period then counts as missing for percentile alarms).
 */
public final class DdSketches implements PercentileSketch {
  private static final Logger LOG = LoggerFactory.getLogger(DdSketches.class);
  private static final int MAX_BINS = 2048;
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
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      left.encode(out, false);
    } catch (java.io.IOException e) {
      warn(e);
      return null;
    }
    return Base64.getEncoder().encodeToString(out.trimmedCopy());
  }

  private DDSketch decode(String sketch) {
    if (sketch == null || sketch.isEmpty()) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(sketch);
      return DDSketch.decode(
          ByteArrayInput.wrap(bytes), () -> new CollapsingLowestDenseStore(MAX_BINS));
    } catch (Exception | AssertionError unreadable) {
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
