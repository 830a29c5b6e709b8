package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.alarm.eval.MathAlarm;
import dev.portico.contracts.alarms.Dimension;
import dev.portico.contracts.alarms.MetricQuery;
import dev.portico.metricmath.Grid;
import dev.portico.metricmath.MathException;
import dev.portico.metricmath.MathPlan;
import dev.portico.metricmath.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PutMetricAlarm's {@code Metrics}: an alarm on a metric-math expression, with CloudWatch's limits
 * (at most 20 entries, at most 10 with MetricStat and 10 with Expression, exactly one with {@code
 * ReturnData: true}, whose expression must return a single time series). Portico adds one rule:
 * every MetricStat has the same Period, which is the alarm's period.
 *
 * @param period the common period of the MetricStat entries
 */
record MathMetrics(List<MetricQuery> metrics, Integer period) {
  static final int MAX_ENTRIES = 20;
  static final int MAX_METRIC_STATS = 10;
  static final int MAX_EXPRESSIONS = 10;
  static final int MAX_LABEL = 255;

  private static final Set<String> QUERY_FIELDS =
      Set.of("Id", "MetricStat", "Expression", "Label", "ReturnData", "Period");
  private static final Set<String> STAT_FIELDS = Set.of("Metric", "Period", "Stat");
  private static final Set<String> METRIC_FIELDS = Set.of("Namespace", "MetricName", "Dimensions");

  /** The checked entries, or null after adding every problem found. */
  static MathMetrics read(JsonNode raw, Problems problems) {
    if (!raw.isArray() || raw.isEmpty() || raw.size() > MAX_ENTRIES) {
      problems.add("Metrics must be an array of 1-" + MAX_ENTRIES + " MetricDataQuery objects");
      return null;
    }
    List<String> found = new ArrayList<>();
    List<MetricQuery> queries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<Integer> periods = new TreeSet<>();
    int stats = 0;
    int expressions = 0;
    int returned = 0;
    for (int i = 0; i < raw.size(); i++) {
      JsonNode q = raw.get(i);
      String at = "Metrics[" + i + "]";
      if (!q.isObject()) {
        found.add(at + " must be an object");
        continue;
      }
      unknown(q, QUERY_FIELDS, at, found);
      String id = q.path("Id").isTextual() ? q.get("Id").asText() : null;
      if (id == null || !MathPlan.ID.matcher(id).matches()) {
        found.add(at + ".Id must start with a lowercase letter, then letters, digits or _ (1-255)");
      } else if (!ids.add(id)) {
        found.add(at + ".Id '" + id + "' is used twice");
      }
      String label = null;
      if (q.hasNonNull("Label")) {
        if (!q.get("Label").isTextual() || q.get("Label").asText().length() > MAX_LABEL) {
          found.add(at + ".Label must be a string of at most " + MAX_LABEL + " characters");
        } else {
          label = q.get("Label").asText();
        }
      }
      boolean returnData = true;
      if (q.hasNonNull("ReturnData")) {
        if (!q.get("ReturnData").isBoolean()) {
          found.add(at + ".ReturnData must be true or false");
        } else {
          returnData = q.get("ReturnData").booleanValue();
        }
      }
      if (returnData) {
        returned++;
      }
      if (q.hasNonNull("Period")) {
        found.add(at + ".Period is for Metrics Insights queries; give MetricStat.Period");
      }
      boolean hasStat = q.hasNonNull("MetricStat");
      boolean hasExpression = q.hasNonNull("Expression");
      if (hasStat == hasExpression) {
        found.add(at + " must have exactly one of MetricStat and Expression");
        continue;
      }
      if (hasExpression) {
        expressions++;
        if (!q.get("Expression").isTextual()) {
          found.add(at + ".Expression must be a string");
          continue;
        }
        queries.add(
            new MetricQuery(
                id, q.get("Expression").asText(), label, returnData, null, null, null, null, null));
        continue;
      }
      stats++;
      MetricQuery stat = metricStat(q.get("MetricStat"), at + ".MetricStat", found);
      if (stat != null) {
        periods.add(stat.period());
        queries.add(
            new MetricQuery(
                id,
                null,
                label,
                returnData,
                stat.namespace(),
                stat.metricName(),
                stat.dimensions(),
                stat.period(),
                stat.stat()));
      }
    }
    if (stats > MAX_METRIC_STATS) {
      found.add("Metrics may have at most " + MAX_METRIC_STATS + " MetricStat (got " + stats + ")");
    }
    if (expressions > MAX_EXPRESSIONS) {
      found.add(
          "Metrics may have at most " + MAX_EXPRESSIONS + " Expression (got " + expressions + ")");
    }
    if (stats == 0) {
      found.add("Metrics must have at least one MetricStat");
    }
    if (returned != 1) {
      found.add(
          "Exactly one entry of Metrics must have ReturnData true (the default); got "
              + returned
              + ": set ReturnData false on the others");
    }
    if (periods.size() > 1) {
      found.add(
          "Every MetricStat of Metrics must have the same Period (got "
              + String.join(", ", periods.stream().map(String::valueOf).toList())
              + ")");
    }
    if (found.isEmpty()) {
      check(queries, periods.iterator().next(), found);
    }
    found.forEach(problems::add);
    return found.isEmpty()
        ? new MathMetrics(List.copyOf(queries), periods.iterator().next())
        : null;
  }

  /** Parses the expressions, then evaluates them once without data: types and functions check. */
  private static void check(List<MetricQuery> queries, int period, List<String> found) {
    MathPlan plan = MathAlarm.plan(queries, "Metrics", found);
    if (plan == null) {
      return;
    }
    int index = 0;
    MetricQuery returned = null;
    for (int i = 0; i < queries.size(); i++) {
      if (queries.get(i).returnData()) {
        returned = queries.get(i);
        index = i;
      }
    }
    long step = period * 1000L;
    try {
      Value value = plan.evaluate(Map.of(), id -> new Grid(0, 2 * step, step)).get(returned.id());
      if (!(value instanceof Value.Series)) {
        found.add(
            "Metrics["
                + index
                + "]: the alarm's value must be a single time series, but it is "
                + Value.kind(value));
      }
    } catch (MathException e) {
      for (int i = 0; i < queries.size(); i++) {
        if (queries.get(i).id().equals(e.queryId())) {
          index = i;
        }
      }
      found.add("Metrics[" + index + "].Expression: " + e.getMessage());
    }
  }

  private static MetricQuery metricStat(JsonNode raw, String at, List<String> found) {
    if (!raw.isObject()) {
      found.add(at + " must be an object with Metric, Period and Stat");
      return null;
    }
    unknown(raw, STAT_FIELDS, at, found);
    int before = found.size();
    JsonNode metric = raw.path("Metric");
    String namespace = null;
    String name = null;
    List<Dimension> dimensions = List.of();
    if (!metric.isObject()) {
      found.add(at + ".Metric is required: {Namespace, MetricName, Dimensions}");
    } else {
      unknown(metric, METRIC_FIELDS, at + ".Metric", found);
      namespace = text(metric.path("Namespace"), at + ".Metric.Namespace", found);
      if (namespace != null && namespace.startsWith(":")) {
        found.add(at + ".Metric.Namespace must not start with ':'");
      }
      name = text(metric.path("MetricName"), at + ".Metric.MetricName", found);
      Problems dims = new Problems();
      dimensions =
          MetricFields.dimensions(metric.get("Dimensions"), at + ".Metric.Dimensions", dims);
      dims.forEach(found::add);
    }
    JsonNode period = raw.path("Period");
    if (!period.canConvertToInt()
        || !period.isIntegralNumber()
        || period.intValue() < 1
        || period.intValue() > 86_400
        || !MetricFields.isPeriod(period.intValue())) {
      found.add(at + ".Period must be 1, 5, 10, 30 or a multiple of 60 seconds (up to 86400)");
    }
    JsonNode stat = raw.path("Stat");
    if (!stat.isTextual()
        || !(MetricFields.STATISTICS.contains(stat.asText())
            || MetricFields.percentile(stat.asText()))) {
      found.add(
          at + ".Stat must be SampleCount, Average, Sum, Minimum, Maximum or a percentile pNN(.N)");
    }
    if (found.size() > before) {
      return null;
    }
    return new MetricQuery(
        null, null, null, false, namespace, name, dimensions, period.intValue(), stat.asText());
  }

  private static String text(JsonNode value, String at, List<String> found) {
    if (!value.isTextual()
        || value.asText().isEmpty()
        || value.asText().length() > 255
        || value.asText().chars().anyMatch(Character::isISOControl)) {
      found.add(at + " is required: 1-255 characters without control characters");
      return null;
    }
    return value.asText();
  }

  private static void unknown(JsonNode node, Set<String> allowed, String at, List<String> found) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        found.add(at + " has an unknown field " + name);
      }
    }
  }
}
