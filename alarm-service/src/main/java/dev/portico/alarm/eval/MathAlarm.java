package dev.portico.alarm.eval;

import dev.portico.alarm.model.Datapoint;
import dev.portico.alarm.model.InputPoint;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.MetricQuery;
import dev.portico.metricmath.Grid;
import dev.portico.metricmath.MathException;
import dev.portico.metricmath.MathPlan;
import dev.portico.metricmath.TimeSeries;
import dev.portico.metricmath.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A metric-math alarm's datapoints: its expression (the shared metric-math evaluator, the same as
 * GetMetricData's) over the final values of its MetricStat entries, one value per period. Pure.
 */
public final class MathAlarm {
  private MathAlarm() {}

  /** The checked plan of the alarm's Metrics; null when they do not check (reported problems). */
  public static MathPlan plan(List<MetricQuery> metrics, String path, List<String> problems) {
    List<MathPlan.Query> queries = new ArrayList<>();
    for (MetricQuery q : metrics) {
      queries.add(new MathPlan.Query(q.id(), q.expression()));
    }
    return MathPlan.of(queries, path, problems);
  }

  /** The MetricStat entries whose value a period needs before its expression can be computed. */
  public static Set<String> required(AlarmDefinition def) {
    MathPlan plan = plan(def.metrics(), "Metrics", new ArrayList<>());
    return plan == null ? Set.of() : plan.metricsUsedBy(def.returned().id());
  }

  /**
   * The expression's value per period in the evaluation range ending with the period starting at
   * {@code newestSlot}, oldest first, from {@code inputs} (the MetricStat entries' values; the
   * period before the range serves RATE).
   */
  public static List<Datapoint> datapoints(
      AlarmDefinition def, List<InputPoint> inputs, long newestSlot) {
    long period = def.period() * 1000L;
    long oldest = newestSlot - (MetricEvaluator.rangePeriods(def) - 1L) * period;
    MathPlan plan = plan(def.metrics(), "Metrics", new ArrayList<>());
    if (plan == null) {
      return List.of();
    }
    Map<String, TreeMap<Long, Double>> points = new HashMap<>();
    for (InputPoint p : inputs == null ? List.<InputPoint>of() : inputs) {
      if (p.timestamp() <= newestSlot) {
        points.computeIfAbsent(p.id(), id -> new TreeMap<>()).put(p.timestamp(), p.value());
      }
    }
    Map<String, TimeSeries> series = new HashMap<>();
    for (MetricQuery q : def.metrics()) {
      if (!q.isExpression()) {
        String label = q.label() != null ? q.label() : q.metricName();
        series.put(
            q.id(), new TimeSeries(q.id(), label, points.getOrDefault(q.id(), new TreeMap<>())));
      }
    }
    Grid grid = new Grid(oldest - period, newestSlot + period, period);
    Value value;
    try {
      value = plan.evaluate(series, id -> grid).get(def.returned().id());
    } catch (MathException e) {
      return List.of(); // checked at PutMetricAlarm; cannot happen with a stored definition
    }
    if (!(value instanceof Value.Series result)) {
      return List.of();
    }
    List<Datapoint> datapoints = new ArrayList<>();
    result
        .series()
        .points()
        .subMap(oldest, true, newestSlot, true)
        .forEach((t, v) -> datapoints.add(new Datapoint(t, v, 0)));
    return datapoints;
  }
}
