package dev.portico.metrics.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.metricmath.Grid;
import dev.portico.metricmath.MathPlan;
import dev.portico.metrics.aggregation.Retention;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /metrics/data/query}, as CloudWatch's GetMetricData: up to 500 queries
 * over one time range, each either a metric, a period and one statistic ({@code MetricStat}) or a
 * metric-math {@code Expression} over other queries' results (see the metric-math module). Queries
 * with {@code ReturnData: false} are computed when an expression needs them, but not returned.
 */
public record MetricDataRequest(
    @JsonProperty("StartTime") JsonNode startTime,
    @JsonProperty("EndTime") JsonNode endTime,
    @JsonProperty("MetricDataQueries") List<Query> queries,
    @JsonProperty("ScanBy") String scanBy) {
  /** CloudWatch: a GetMetricData call holds up to 500 MetricDataQuery structures. */
  public static final int MAX_QUERIES = 500;

  /** The longest Label (CloudWatch does not document one; Portico keeps labels bounded). */
  public static final int MAX_LABEL = 1024;

  /** One query. */
  public record Query(
      @JsonProperty("Id") String id,
      @JsonProperty("MetricStat") MetricStat metricStat,
      @JsonProperty("Expression") String expression,
      @JsonProperty("Label") String label,
      @JsonProperty("ReturnData") Boolean returnData,
      @JsonProperty("Period") Integer period) {}

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

  /** A validated MetricStat query: its id, label and statistics request. */
  public record Series(String id, String label, StatisticsRequest request) {}

  /** A validated expression query: where it is in the request, its label and grid. */
  public record Expression(int index, String id, String label, Grid grid) {}

  /**
   * The validated request: the MetricStat series to read, the expressions, and the ids to return in
   * request order.
   *
   * @param series every MetricStat query that is returned or that an expression reads
   */
  public record Plan(
      List<Series> series,
      Map<String, Expression> expressions,
      MathPlan math,
      List<String> returned,
      long start,
      long end) {}

  public boolean descending() {
    return "TimestampDescending".equals(scanBy);
  }

  /** The series to answer (those with ReturnData not false); throws {@link BadRequest}. */
  public Plan plan(long now, Retention retention) {
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
      problems.add(
          "MetricDataQueries: must hold 1-"
              + MAX_QUERIES
              + " queries"
              + (queries == null ? "" : " (got " + queries.size() + ")"));
      throw BadRequest.of(problems);
    }
    Set<String> ids = new HashSet<>();
    List<MathPlan.Query> mathQueries = new ArrayList<>();
    Map<String, Integer> metricPeriods = new HashMap<>();
    Map<String, StatisticsRequest> requests = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      Query query = queries.get(i);
      String path = "MetricDataQueries[" + i + "]";
      if (query == null) {
        problems.add(path + ": must be an object");
        continue;
      }
      if (query.id() == null || !MathPlan.ID.matcher(query.id()).matches()) {
        problems.add(
            path + ".Id: must start with a lowercase letter, then letters, digits or _ (1-255)");
      } else if (!ids.add(query.id())) {
        problems.add(path + ".Id: '" + query.id() + "' is used twice");
      }
      if (query.label() != null && query.label().length() > MAX_LABEL) {
        problems.add(path + ".Label: at most " + MAX_LABEL + " characters");
      }
      if ((query.expression() == null) == (query.metricStat() == null)) {
        problems.add(path + ": give exactly one of MetricStat and Expression");
        continue;
      }
      mathQueries.add(new MathPlan.Query(query.id(), query.expression()));
      if (query.expression() != null) {
        if (query.period() != null && !StatisticsRequest.isPeriod(query.period())) {
          problems.add(path + ".Period: 1, 5, 10, 30, 60 or a multiple of 60");
        }
        continue;
      }
      MetricId metric = metric(query.metricStat(), path, problems);
      Statistic statistic =
          query.metricStat().stat() == null ? null : Statistic.parse(query.metricStat().stat());
      if (statistic == null) {
        problems.add(
            path + ".MetricStat.Stat: SampleCount, Sum, Average, Minimum, Maximum or pNN(.N)");
      }
      Integer period = query.metricStat().period();
      if (period == null || !StatisticsRequest.isPeriod(period)) {
        problems.add(path + ".MetricStat.Period: 1, 5, 10, 30, 60 or a multiple of 60");
      }
      if (metric == null || statistic == null || period == null || start == null || end == null) {
        continue;
      }
      try {
        requests.put(
            query.id(),
            StatisticsRequest.of(metric, start, end, period, List.of(statistic), now, retention));
        metricPeriods.put(query.id(), period);
      } catch (BadRequest e) {
        problems.add(path + ": " + e.getMessage());
      }
    }
    MathPlan math = MathPlan.of(mathQueries, "MetricDataQueries", problems);
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    int smallest = metricPeriods.values().stream().mapToInt(Integer::intValue).min().orElse(60);
    Map<String, Expression> expressions = new HashMap<>();
    List<String> returned = new ArrayList<>();
    Set<String> needed = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      Query query = queries.get(i);
      boolean returns = !Boolean.FALSE.equals(query.returnData());
      if (returns) {
        returned.add(query.id());
      }
      if (query.expression() == null) {
        if (returns) {
          needed.add(query.id());
        }
        continue;
      }
      needed.addAll(math.metricsUsedBy(query.id()));
      int period =
          query.period() != null
              ? query.period()
              : math.metricsUsedBy(query.id()).stream()
                  .mapToInt(metricPeriods::get)
                  .min()
                  .orElse(smallest);
      long step = period * 1000L;
      long points = (end - start + step - 1) / step;
      if (points > StatisticsRequest.MAX_DATAPOINTS) {
        problems.add(
            "MetricDataQueries["
                + i
                + "]: the expression's period of "
                + period
                + " s makes "
                + points
                + " datapoints; at most "
                + StatisticsRequest.MAX_DATAPOINTS
                + " per series: set a longer Period");
      }
      String label = query.label() != null ? query.label() : query.id();
      expressions.put(query.id(), new Expression(i, query.id(), label, new Grid(start, end, step)));
    }
    if (!problems.isEmpty()) {
      throw BadRequest.of(problems);
    }
    List<Series> series = new ArrayList<>();
    for (Query query : queries) {
      if (query.metricStat() != null && needed.contains(query.id())) {
        String label =
            query.label() != null ? query.label() : query.metricStat().metric().metricName();
        series.add(new Series(query.id(), label, requests.get(query.id())));
      }
    }
    return new Plan(
        List.copyOf(series), Map.copyOf(expressions), math, List.copyOf(returned), start, end);
  }

  private static MetricId metric(MetricStat stat, String path, List<String> problems) {
    if (stat.metric() == null) {
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
