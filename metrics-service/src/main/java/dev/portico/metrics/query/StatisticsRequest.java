package dev.portico.metrics.query;

import dev.portico.metrics.aggregation.Retention;
import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A GetMetricStatistics request, validated: one metric, [startTime, endTime), a period of 1, 5, 10,
 * 30, 60 s or a multiple of 60, at most 1,440 datapoints, and the statistics to compute. It also
 * picks the tier to read, as CloudWatch does by the start time's age: 1-second data for periods
 * under a minute (kept 3 h), 1-minute data up to 15 days back, 5-minute data (periods a multiple of
 * 300) up to 63 days, 1-hour data (periods a multiple of 3600) beyond.
 */
public record StatisticsRequest(
    MetricId metric, long start, long end, int period, List<Statistic> statistics, Tier tier) {
  public static final int MAX_DATAPOINTS = 1440;

  /** Parses query parameters (each name to its values); throws {@link BadRequest}. */
  public static StatisticsRequest parse(
      Map<String, List<String>> parameters, long now, Retention retention) {
    List<String> problems = new ArrayList<>();
    String namespace =
        MetricSelector.required("namespace", first(parameters, "namespace"), problems);
    String metricName =
        MetricSelector.required("metricName", first(parameters, "metricName"), problems);
    var dimensions = MetricSelector.dimensions(parameters.get("dimension"), false, problems);
    Long start = TimeParameter.parse("startTime", first(parameters, "startTime"), problems);
    Long end = TimeParameter.parse("endTime", first(parameters, "endTime"), problems);
    Integer period = period(first(parameters, "period"), problems);
    List<Statistic> statistics = statistics(parameters.get("statistics"), problems);
    if (start != null && end != null && start >= end) {
      problems.add("startTime: must be before endTime (startTime inclusive, endTime exclusive)");
    }
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    return of(
        MetricId.of(namespace, metricName, dimensions),
        start,
        end,
        period,
        statistics,
        now,
        retention);
  }

  /**
   * A request for one series, checked against the 1,440-point cap and the retention of the tier its
   * start time's age calls for; throws {@link BadRequest}.
   */
  public static StatisticsRequest of(
      MetricId metric,
      long start,
      long end,
      int period,
      List<Statistic> statistics,
      long now,
      Retention retention) {
    long periodMillis = period * 1000L;
    long points = (end - start + periodMillis - 1) / periodMillis;
    if (points > MAX_DATAPOINTS) {
      throw new BadRequest(
          "The request asks for "
              + points
              + " datapoints; at most "
              + MAX_DATAPOINTS
              + " per series: use a longer period or a shorter time range");
    }
    return new StatisticsRequest(
        metric, start, end, period, statistics, tier(period, now - start, retention));
  }

  /** CloudWatch's periods: 1, 5, 10, 30, 60 or a multiple of 60 seconds. */
  public static boolean isPeriod(int period) {
    return period == 1
        || period == 5
        || period == 10
        || period == 30
        || (period > 0 && period % 60 == 0);
  }

  private static Integer period(String value, List<String> problems) {
    String expected = "period: must be 1, 5, 10, 30, 60 or a multiple of 60 (seconds)";
    if (value == null) {
      problems.add(expected);
      return null;
    }
    try {
      int period = Integer.parseInt(value);
      if (isPeriod(period)) {
        return period;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(expected + ", got '" + value + "'");
    return null;
  }

  private static List<Statistic> statistics(List<String> values, List<String> problems) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    if (values != null) {
      for (String value : values) {
        for (String name : value.split(",")) {
          if (!name.isBlank()) {
            names.add(name.trim());
          }
        }
      }
    }
    if (names.isEmpty()) {
      problems.add(
          "statistics: at least one of SampleCount, Sum, Average, Minimum, Maximum, pNN or pNN.N");
    }
    List<Statistic> statistics = new ArrayList<>();
    for (String name : names) {
      Statistic statistic = Statistic.parse(name);
      if (statistic == null) {
        problems.add(
            "statistics: '"
                + name
                + "' is not SampleCount, Sum, Average, Minimum, Maximum or a percentile p0-p100"
                + " (pNN or pNN.N)");
      } else {
        statistics.add(statistic);
      }
    }
    return statistics;
  }

  private static Tier tier(int period, long age, Retention retention) {
    if (period < 60) {
      if (age > retention.of(Tier.SECOND).toMillis()) {
        throw new BadRequest(
            "Periods under 60 s need a startTime within the last "
                + retention.of(Tier.SECOND).toHours()
                + " hours: 1-second data is kept that long");
      }
      return Tier.SECOND;
    }
    if (age <= retention.of(Tier.MINUTE).toMillis()) {
      return Tier.MINUTE;
    }
    Tier tier = age <= retention.of(Tier.FIVE_MINUTES).toMillis() ? Tier.FIVE_MINUTES : Tier.HOUR;
    if (period % tier.seconds() != 0) {
      throw new BadRequest(
          "A startTime this old is served from "
              + tier.seconds()
              + "-second data: the period must be a multiple of "
              + tier.seconds());
    }
    return tier;
  }

  static String first(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
