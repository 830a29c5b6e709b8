package dev.portico.metrics.query;

import dev.portico.metrics.model.Aggregate;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic a query can ask for: CloudWatch's SampleCount, Sum, Average, Minimum, Maximum, or a
 * percentile {@code pNN} / {@code pNN.N} (0-100, up to two decimals), computed from the period's
 * sketch (within 1%).
 */
public sealed interface Statistic {
  Pattern PERCENTILE = Pattern.compile("p(\\d{1,3}(?:\\.\\d{1,2})?)");
  Set<String> STANDARD = Set.of("SampleCount", "Sum", "Average", "Minimum", "Maximum");

  /** The name as the client wrote it, used as the result's field name. */
  String name();

  OptionalDouble of(Aggregate aggregate);

  /** Parses {@code text}, or returns {@code null} when it names no statistic. */
  static Statistic parse(String text) {
    if (STANDARD.contains(text)) {
      return new Standard(text);
    }
    Matcher matcher = PERCENTILE.matcher(text);
    if (matcher.matches() && Double.parseDouble(matcher.group(1)) <= 100) {
      return new Percentile(text, Double.parseDouble(matcher.group(1)));
    }
    return null;
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
