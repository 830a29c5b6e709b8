package dev.portico.metrics.model;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.portico.contracts.Sketches;
import java.util.OptionalDouble;

/**
 * The statistics of one metric over one period: SampleCount, Sum, Minimum, Maximum exactly, and a
 * mergeable sketch of the raw values for percentiles. Two aggregates of adjacent periods merge into
 * the aggregate of the longer period, which is how 1-minute data rolls up to 5 minutes and 1 hour
 * without the raw values.
 *
 * <p>Percentiles need raw values, as in CloudWatch: a statistic set adds to the sketch only when
 * all its samples are equal (Minimum = Maximum); any other statistic set makes the period's
 * percentiles unavailable ({@link #percentilesAvailable()}).
 */
public final class Aggregate {
  private double sampleCount;
  private double sum;
  private double minimum = Double.POSITIVE_INFINITY;
  private double maximum = Double.NEGATIVE_INFINITY;
  private String unit;
  private DDSketch sketch;
  private boolean sketchComplete = true;

  public Aggregate() {}

  /** Restores an aggregate from its parts (see {@link AggregateCodec}). */
  Aggregate(
      double sampleCount,
      double sum,
      double minimum,
      double maximum,
      String unit,
      DDSketch sketch,
      boolean sketchComplete) {
    this.sampleCount = sampleCount;
    this.sum = sum;
    this.minimum = minimum;
    this.maximum = maximum;
    this.unit = unit;
    this.sketch = sketch;
    this.sketchComplete = sketchComplete;
  }

  /** Adds {@code count} samples of {@code value} (count 1 for a plain value). */
  public void add(double value, double count) {
    if (count <= 0) {
      return;
    }
    sampleCount += count;
    sum += value * count;
    minimum = Math.min(minimum, value);
    maximum = Math.max(maximum, value);
    sketch().accept(value, count);
  }

  /** Adds pre-aggregated samples (a PutMetricData StatisticSet). */
  public void addStatisticSet(double count, double setSum, double setMinimum, double setMaximum) {
    if (count <= 0) {
      return;
    }
    if (setMinimum == setMaximum) {
      add(setMinimum, count);
      return;
    }
    sampleCount += count;
    sum += setSum;
    minimum = Math.min(minimum, setMinimum);
    maximum = Math.max(maximum, setMaximum);
    sketchComplete = false;
  }

  public void merge(Aggregate other) {
    if (other.sampleCount == 0) {
      return;
    }
    sampleCount += other.sampleCount;
    sum += other.sum;
    minimum = Math.min(minimum, other.minimum);
    maximum = Math.max(maximum, other.maximum);
    if (other.unit != null) {
      unit = other.unit;
    }
    if (other.sketch != null) {
      sketch().mergeWith(other.sketch);
    }
    sketchComplete &= other.sketchComplete;
  }

  public void unit(String newUnit) {
    if (newUnit != null) {
      unit = newUnit;
    }
  }

  private DDSketch sketch() {
    if (sketch == null) {
      sketch = Sketches.create();
    }
    return sketch;
  }

  public double sampleCount() {
    return sampleCount;
  }

  public double sum() {
    return sum;
  }

  public double minimum() {
    return minimum;
  }

  public double maximum() {
    return maximum;
  }

  public double average() {
    return sum / sampleCount;
  }

  public String unit() {
    return unit;
  }

  boolean sketchComplete() {
    return sketchComplete;
  }

  /** The raw sketch (may be {@code null}), for encoding. */
  DDSketch rawSketch() {
    return sketch;
  }

  /** True when every sample of the period went into the sketch. */
  public boolean percentilesAvailable() {
    return sketchComplete && sketch != null && sketch.getCount() > 0;
  }

  /**
   * The value at {@code percent} (0-100): the sample of rank {@code floor(percent / 100 * (n - 1))}
   * in ascending order, within {@link Sketches#RELATIVE_ACCURACY}, and never outside [Minimum,
   * Maximum]. Empty when percentiles are unavailable.
   */
  public OptionalDouble percentile(double percent) {
    if (!percentilesAvailable()) {
      return OptionalDouble.empty();
    }
    double value = sketch.getValueAtQuantile(percent / 100.0);
    return OptionalDouble.of(Math.max(minimum, Math.min(maximum, value)));
  }

  /** The sketch as the datapoints topic carries it (base64), or {@code null} without one. */
  public String encodedSketch() {
    return percentilesAvailable() ? Sketches.toBase64(sketch) : null;
  }

  public Aggregate copy() {
    Aggregate copy = new Aggregate();
    copy.merge(this);
    return copy;
  }
}
