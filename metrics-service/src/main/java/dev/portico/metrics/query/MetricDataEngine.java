package dev.portico.metrics.query;

import dev.portico.metricmath.Grid;
import dev.portico.metricmath.MathException;
import dev.portico.metricmath.TimeSeries;
import dev.portico.metricmath.Value;
import dev.portico.metrics.http.BadRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Answers a GetMetricData plan: reads each MetricStat series (buckets aligned to StartTime, as
 * GetMetricStatistics), evaluates the expressions over them with the shared metric-math evaluator,
 * and returns the queries asked for, in request order. An expression returning an array yields one
 * result per series, all with the expression's Id (as CloudWatch does); one returning a scalar
 * yields it at every timestamp of its grid.
 */
public final class MetricDataEngine {
  private final StatisticsEngine statistics;

  public MetricDataEngine(StatisticsEngine statistics) {
    this.statistics = statistics;
  }

  /** One returned series, sorted by time. */
  public record Result(String id, String label, List<Long> timestamps, List<Double> values) {}

  /** Blocking (reads stores); throws {@link BadRequest} when an expression cannot be evaluated. */
  public List<Result> answer(MetricDataRequest.Plan plan) {
    Map<String, TimeSeries> metrics = new HashMap<>();
    for (MetricDataRequest.Series series : plan.series()) {
      Statistic statistic = series.request().statistics().get(0);
      NavigableMap<Long, Double> points = new TreeMap<>();
      for (var bucket : statistics.buckets(series.request())) {
        var value = statistic.of(bucket.aggregate());
        if (value.isPresent()) {
          points.put(bucket.start(), value.getAsDouble());
        }
      }
      metrics.put(series.id(), new TimeSeries(series.id(), series.label(), points));
    }
    Map<String, Value> values;
    try {
      values = plan.math().evaluate(metrics, id -> plan.expressions().get(id).grid());
    } catch (MathException e) {
      MetricDataRequest.Expression failed = plan.expressions().get(e.queryId());
      String where =
          failed == null ? "MetricDataQueries" : "MetricDataQueries[" + failed.index() + "]";
      throw new BadRequest(where + ".Expression: " + e.getMessage());
    }
    List<Result> results = new ArrayList<>();
    for (String id : plan.returned()) {
      MetricDataRequest.Expression expression = plan.expressions().get(id);
      if (expression == null) {
        results.add(result(id, metrics.get(id).label(), metrics.get(id), plan));
        continue;
      }
      Value value = values.get(id);
      if (value instanceof Value.Series s) {
        results.add(result(id, expression.label(), s.series(), plan));
      } else if (value instanceof Value.Array a) {
        for (TimeSeries item : a.items()) {
          results.add(result(id, expression.label() + " " + item.label(), item, plan));
        }
      } else {
        double scalar = ((Value.Scalar) value).value();
        Map<Long, Double> points = new LinkedHashMap<>();
        Grid grid = expression.grid();
        if (!Double.isNaN(scalar)) {
          for (long t = grid.start(); t < grid.end(); t += grid.step()) {
            points.put(t, scalar);
          }
        }
        results.add(result(id, expression.label(), TimeSeries.of(id, id, points), plan));
      }
    }
    return results;
  }

  private static Result result(
      String id, String label, TimeSeries series, MetricDataRequest.Plan plan) {
    List<Long> timestamps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    series
        .points()
        .subMap(plan.start(), true, plan.end(), false)
        .forEach(
            (t, v) -> {
              timestamps.add(t);
              values.add(v);
            });
    return new Result(id, label, timestamps, values);
  }
}
