package dev.portico.contracts;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic as CloudWatch names it: one of the five standard statistics, or a percentile {@code
 * pNN} / {@code pNN.NN} (p0 to p100, at most two decimals, CloudWatch's ExtendedStatistic). The one
 * grammar of metrics-service's queries and alarm-service's alarms, so an alarm never watches a
 * statistic the metrics API would refuse.
 *
 * @param name as written
 * @param percent a percentile's 0-100 value; {@code null} for a standard statistic
 */
public record StatisticName(String name, Double percent) {
  public static final Set<String> STANDARD =
      Set.of("SampleCount", "Sum", "Average", "Minimum", "Maximum");

  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,3}(?:\\.\\d{1,2})?)");

  /** The statistic {@code text} names, or empty when it names none. */
  public static Optional<StatisticName> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (STANDARD.contains(text)) {
      return Optional.of(new StatisticName(text, null));
    }
    Matcher m = PERCENTILE.matcher(text);
    if (m.matches()) {
      double percent = Double.parseDouble(m.group(1));
      if (percent <= 100) {
        return Optional.of(new StatisticName(text, percent));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code text} names a percentile. */
  public static boolean isPercentile(String text) {
    return parse(text).map(StatisticName::isPercentile).orElse(false);
  }

  public boolean isPercentile() {
    return percent != null;
  }
}
