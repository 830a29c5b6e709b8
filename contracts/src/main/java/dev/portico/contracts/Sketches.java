package dev.portico.contracts;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The one sketch configuration of Portico's percentiles, and its codec, shared by the writer
 * (metrics-service) and every reader of a {@link MetricDatapoint#sketch()} (alarm-service,
 * stream-service): DDSketch with a logarithmic index mapping at 1% relative accuracy, and dense
 * stores of at most 2,048 bins per sign. Every quantile it returns is within 1% (relative) of the
 * exact value of that rank, as long as the values of one sketch span less than a factor of about
 * 6e17 (2,048 bins of 2.02% each); beyond that the lowest magnitudes are merged first. Zeros and
 * negative values are kept exactly as such.
 *
 * <p>The wire format is DDSketch's own compact encoding (sketches-java {@code DDSketch.encode}, the
 * same as sketches-go's {@code Encode}), index mapping included, so a reader needs no configuration
 * to decode it; a datapoint carries it in base64.
 */
public final class Sketches {
  public static final double RELATIVE_ACCURACY = 0.01;
  public static final int MAX_BINS = 2048;

  private Sketches() {}

  public static DDSketch create() {
    return new DDSketch(
        new LogarithmicMapping(RELATIVE_ACCURACY), () -> new CollapsingLowestDenseStore(MAX_BINS));
  }

  public static byte[] encode(DDSketch sketch) {
    GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return output.trimmedCopy();
  }

  public static DDSketch decode(byte[] bytes) {
    try {
      return DDSketch.decode(
          ByteArrayInput.wrap(bytes), () -> new CollapsingLowestDenseStore(MAX_BINS));
    } catch (IOException e) {
      throw new UncheckedIOException("Not a DDSketch encoding", e);
    }
  }

  /** A datapoint's sketch field. */
  public static String toBase64(DDSketch sketch) {
    return Base64.getEncoder().encodeToString(encode(sketch));
  }

  /**
   * The sketch of a datapoint's sketch field.
   *
   * @throws IllegalArgumentException when it is not base64 of a DDSketch encoding
   */
  public static DDSketch fromBase64(String sketch) {
    try {
      return decode(Base64.getDecoder().decode(sketch));
    } catch (RuntimeException | AssertionError unreadable) {
      throw new IllegalArgumentException("Not a DDSketch encoding: " + unreadable, unreadable);
    }
  }
}
