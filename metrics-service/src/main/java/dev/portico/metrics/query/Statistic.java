package dev.portico.metrics.query;

import dev.portico.contracts.StatisticName;
import dev.portico.metrics.model.Aggregate;
import java.util.OptionalDouble;

/**
 * A statistic a query can ask for: CloudWatch's SampleCount, Sum, Average, Minimum, Maximum, or a
 * percentile {@code pNN} / {@code pNN.N} (0-100, up to two decimals), computed from the period's
 * sketch (within 1%).
 */
public sealed interface Statistic {

  /** The name as the client wrote it, used as the result's field name. */
  String name();

  OptionalDouble of(Aggregate aggregate);

  /** Parses {@code text}, or returns {@code null} when it names no statistic. */
  static Statistic parse(String text) {
    return StatisticName.parse(text)
        .<Statistic>map(
            name -> name.isPercentile() ? new Percentile(text, name.percent()) : new Standard(text))
        .orElse(null);
  }

  /** One of CloudWatch's five standard statistics. */
  record Standard(String name) implements Statistic {
    @Override
    public OptionalDouble of(Aggregate aggregate) {
      return OptionalDouble.of(
          switch (name) {
            case "SampleCount" -> aggregate.sampleCount();
            case "Sum" -> aggregate.sum();
            case "Average" -> aggregate.average();
            case "Minimum" -> aggregate.minimum();
            default -> aggregate.maximum();
          });
    }
  }

  /** An extended statistic; empty when the period had statistic sets (no raw values). */
  record Percentile(String name, double percent) implements Statistic {
    @Override
    public OptionalDouble of(Aggregate aggregate) {
      return aggregate.percentile(percent);
    }
  }
}
