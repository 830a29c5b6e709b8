package dev.portico.metrics.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.metrics.aggregation.Retention;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /metrics/data/query}, as CloudWatch's GetMetricData: up to 500 series
 * over one time range, each a metric, a period and one statistic ({@code MetricStat}). Metric math
 * ({@code Expression}) is not supported yet and refused.
 */
public record MetricDataRequest(
    @JsonProperty("StartTime") JsonNode startTime,
    @JsonProperty("EndTime") JsonNode endTime,
    @JsonProperty("MetricDataQueries") List<Query> queries,
    @JsonProperty("ScanBy") String scanBy) {
  public static final int MAX_QUERIES = 500;
  private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");

  /** One series. */
  public record Query(
      @JsonProperty("Id") String id,
      @JsonProperty("MetricStat") MetricStat metricStat,
      @JsonProperty("Expression") String expression,
      @JsonProperty("Label") String label,
      @JsonProperty("ReturnData") Boolean returnData) {}

  /** A metric, a period and a statistic. */
  public record MetricStat(
      @JsonProperty("Metric") Metric metric,
      @JsonProperty("Period") Integer period,
      @JsonProperty("Stat") String stat) {}

  /** Which metric. */
  public record Metric(
      @JsonProperty("Namespace") String namespace,
      @JsonProperty("MetricName") String metricName,
      @JsonProperty("Dimensions") Map<String, String> dimensions) {}

  /** A validated series: its id, label and statistics request. */
  public record Series(String id, String label, StatisticsRequest request) {}

  public boolean descending() {
    return "TimestampDescending".equals(scanBy);
  }

  /** The series to answer (those with ReturnData not false); throws {@link BadRequest}. */
  public List<Series> series(long now, Retention retention) {
    List<String> problems = new ArrayList<>();
    Long start = time("StartTime", startTime, problems);
    Long end = time("EndTime", endTime, problems);
    if (start != null && end != null && start >= end) {
      problems.add("StartTime: must be before EndTime (StartTime inclusive, EndTime exclusive)");
    }
    if (scanBy != null && !scanBy.equals("TimestampAscending") && !descending()) {
      problems.add("ScanBy: TimestampAscending or TimestampDescending");
    }
    if (queries == null || queries.isEmpty() || queries.size() > MAX_QUERIES) {
      problems.add("MetricDataQueries: must hold 1-" + MAX_QUERIES + " queries");
      throw BadRequest.of(problems);
    }
    List<Series> series = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      Query query = queries.get(i);
      String path = "MetricDataQueries[" + i + "]";
      if (query == null) {
        problems.add(path + ": must be an object");
        continue;
      }
      if (query.id() == null || !ID.matcher(query.id()).matches()) {
        problems.add(path + ".Id: must start with a lowercase letter, then letters, digits or _");
      } else if (!ids.add(query.id())) {
        problems.add(path + ".Id: '" + query.id() + "' is used twice");
      }
      if (query.expression() != null) {
        problems.add(path + ".Expression: metric math is not supported yet; use MetricStat");
        continue;
      }
      MetricId metric = metric(query.metricStat(), path, problems);
      Statistic statistic = null;
      Integer period = null;
      if (query.metricStat() != null) {
        statistic =
            query.metricStat().stat() == null ? null : Statistic.parse(query.metricStat().stat());
        if (statistic == null) {
          problems.add(
              path + ".MetricStat.Stat: SampleCount, Sum, Average, Minimum, Maximum or pNN(.N)");
        }
        period = query.metricStat().period();
        if (period == null || !StatisticsRequest.isPeriod(period)) {
          problems.add(path + ".MetricStat.Period: 1, 5, 10, 30, 60 or a multiple of 60");
        }
      }
      if (!problems.isEmpty() || Boolean.FALSE.equals(query.returnData())) {
        continue;
      }
      try {
        StatisticsRequest request =
            StatisticsRequest.of(metric, start, end, period, List.of(statistic), now, retention);
        String label = query.label() != null ? query.label() : metric.metricName();
        series.add(new Series(query.id(), label, request));
      } catch (BadRequest e) {
        problems.add(path + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    return series;
  }

  private static MetricId metric(MetricStat stat, String path, List<String> problems) {
    if (stat == null || stat.metric() == null) {
      problems.add(path + ".MetricStat: required, with Metric, Period and Stat");
      return null;
    }
    Metric metric = stat.metric();
    MetricSelector.required(path + ".MetricStat.Metric.Namespace", metric.namespace(), problems);
    MetricSelector.required(path + ".MetricStat.Metric.MetricName", metric.metricName(), problems);
    if (metric.namespace() == null || metric.metricName() == null) {
      return null;
    }
    return MetricId.of(
        metric.namespace(),
        metric.metricName(),
        metric.dimensions() == null ? Map.of() : metric.dimensions());
  }

  private static Long time(String name, JsonNode value, List<String> problems) {
    if (value != null && value.isIntegralNumber()) {
      return value.asLong();
    }
    return TimeParameter.parse(
        name, value == null || value.isNull() ? null : value.asText(), problems);
  }
}
