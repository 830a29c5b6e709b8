package dev.portico.alarm.rest;

import dev.portico.alarm.eval.Comparison;
import dev.portico.alarm.eval.MissingData;
import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.Dimension;
import dev.portico.contracts.alarms.MetricQuery;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads PutMetricAlarm and PutCompositeAlarm bodies (CloudWatch's field names) into definitions,
 * and the alarm names of batch requests, enforcing every limit of the spec and naming each
 * violation. A metric's own fields are read by {@link MetricFields}, SetAlarmState's body by {@link
 * SetAlarmStateRequest}.
 */
final class AlarmRequests {
  private static final Set<String> COMMON =
      Set.of(
          "AlarmName",
          "AlarmDescription",
          "ActionsEnabled",
          "OKActions",
          "AlarmActions",
          "InsufficientDataActions");

  static final Set<String> METRIC_FIELDS =
      union(
          COMMON,
          Set.of(
              "Namespace",
              "MetricName",
              "Dimensions",
              "Statistic",
              "ExtendedStatistic",
              "Unit",
              "Period",
              "EvaluationPeriods",
              "DatapointsToAlarm",
              "Threshold",
              "ComparisonOperator",
              "TreatMissingData",
              "Metrics"));

  static final Set<String> COMPOSITE_FIELDS = union(COMMON, Set.of("AlarmRule"));

  /** Longest alarm rule, and most alarms one rule may name. */
  static final int MAX_RULE = 10240;

  static final int MAX_RULE_ALARMS = 100;

  private AlarmRequests() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /**
   * @param pathName the name from the URL, or null when the body must carry it
   */
  static AlarmDefinition putMetricAlarm(String pathName, Buffer buffer, long now) {
    Problems problems = new Problems();
    Body body = Body.parse(buffer, METRIC_FIELDS, problems, false);
    String name = alarmName(pathName, body, problems);
    String description = body.string("AlarmDescription", false, 0, Names.MAX_DESCRIPTION);
    String namespace = null;
    String metricName = null;
    List<Dimension> dimensions = null;
    String statistic = null;
    String extended = null;
    String unit = null;
    Integer period;
    List<MetricQuery> metrics = null;
    if (body.has("Metrics")) {
      for (String field :
          List.of(
              "Namespace",
              "MetricName",
              "Dimensions",
              "Statistic",
              "ExtendedStatistic",
              "Unit",
              "Period")) {
        if (body.has(field)) {
          problems.add(
              field + " cannot be used with Metrics: give the metrics in Metrics' MetricStat");
        }
      }
      MathMetrics math = MathMetrics.read(body.raw("Metrics"), problems);
      metrics = math == null ? null : math.metrics();
      period = math == null ? null : math.period();
    } else {
      namespace = body.string("Namespace", true, 1, 255);
      if (namespace != null && namespace.startsWith(":")) {
        problems.add("Namespace must not start with ':'");
      }
      metricName = body.string("MetricName", true, 1, 255);
      dimensions = MetricFields.dimensions(body.raw("Dimensions"), "Dimensions", problems);
      statistic = body.string("Statistic", false, 1, 20);
      extended = body.string("ExtendedStatistic", false, 1, 20);
      if (body.has("Statistic") == body.has("ExtendedStatistic")) {
        problems.add("Give exactly one of Statistic and ExtendedStatistic");
      } else if (statistic != null && !MetricFields.STATISTICS.contains(statistic)) {
        problems.add("Statistic must be one of SampleCount, Average, Sum, Minimum, Maximum");
      } else if (extended != null && !MetricFields.percentile(extended)) {
        problems.add("ExtendedStatistic must be a percentile p0 to p100, e.g. p99 or p99.9");
      }
      unit = body.string("Unit", false, 1, 32);
      if (unit != null && !MetricFields.UNITS.contains(unit)) {
        problems.add(
            "Unit must be a CloudWatch unit such as Count, Bytes, Milliseconds or Percent");
      }
      period = body.integer("Period", true, 1, 86_400);
      if (period != null && !MetricFields.isPeriod(period)) {
        problems.add(
            "Period must be 1, 5, 10, 30 or a multiple of 60 seconds (got " + period + ")");
      }
    }
    Integer n = body.integer("EvaluationPeriods", true, 1, 86_400);
    if (period != null && n != null && (long) period * n > 86_400) {
      problems.add("Period x EvaluationPeriods must not exceed one day (86400 seconds)");
    }
    Integer m = body.integer("DatapointsToAlarm", false, 1, 86_400);
    if (m != null && n != null && m > n) {
      problems.add("DatapointsToAlarm must not exceed EvaluationPeriods");
    }
    Double threshold = body.number("Threshold", true);
    String comparison = body.string("ComparisonOperator", true, 1, 64);
    if (comparison != null && Comparison.named(comparison) == null) {
      problems.add(
          "ComparisonOperator must be GreaterThanThreshold, GreaterThanOrEqualToThreshold,"
              + " LessThanThreshold or LessThanOrEqualToThreshold");
    }
    String treat = body.string("TreatMissingData", false, 1, 32);
    if (treat != null && MissingData.named(treat) == null) {
      problems.add("TreatMissingData must be missing, ignore, breaching or notBreaching");
    }
    Actions actions = actions(body, problems);
    problems.throwIfAny();
    return new AlarmDefinition(
        name,
        AlarmDefinition.METRIC,
        description,
        namespace,
        metricName,
        dimensions,
        statistic,
        extended,
        unit,
        period,
        n,
        m == null ? n : m,
        threshold,
        comparison,
        treat == null ? MissingData.missing.name() : treat,
        null,
        actions.enabled,
        actions.alarm,
        actions.ok,
        actions.insufficient,
        now,
        metrics);
  }

  static AlarmDefinition putCompositeAlarm(String pathName, Buffer buffer, long now) {
    Problems problems = new Problems();
    Body body = Body.parse(buffer, COMPOSITE_FIELDS, problems, false);
    String name = alarmName(pathName, body, problems);
    String description = body.string("AlarmDescription", false, 0, Names.MAX_DESCRIPTION);
    String rule = body.string("AlarmRule", true, 1, MAX_RULE);
    if (rule != null) {
      try {
        Set<String> named = new HashSet<>();
        RuleParser.parse(rule).collectNames(named);
        if (named.size() > MAX_RULE_ALARMS) {
          problems.add("AlarmRule may name at most " + MAX_RULE_ALARMS + " alarms");
        }
        if (name != null && named.contains(name)) {
          problems.add("AlarmRule must not name the alarm itself");
        }
      } catch (RuleSyntaxException e) {
        problems.add(e.getMessage());
      }
    }
    Actions actions = actions(body, problems);
    problems.throwIfAny();
    return new AlarmDefinition(
        name,
        AlarmDefinition.COMPOSITE,
        description,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        rule,
        actions.enabled,
        actions.alarm,
        actions.ok,
        actions.insufficient,
        now,
        null);
  }

  /** AlarmNames of a batch request: 1-100 valid names. */
  static List<String> alarmNames(Buffer buffer) {
    Problems problems = new Problems();
    Body body = Body.parse(buffer, Set.of("AlarmNames"), problems, false);
    if (!body.has("AlarmNames")) {
      problems.add("AlarmNames is required");
    }
    List<String> names =
        body.strings(
            "AlarmNames",
            Names.MAX_BATCH,
            (label, value) -> {
              String problem = Names.alarmNameProblem(value);
              if (problem != null) {
                problems.add(label + ": " + problem);
              }
              return problem == null;
            });
    if (body.has("AlarmNames") && names.isEmpty() && !problems.any()) {
      problems.add("AlarmNames must name at least one alarm");
    }
    problems.throwIfAny();
    return names;
  }

  private static String alarmName(String pathName, Body body, Problems problems) {
    String bodyName = body.raw("AlarmName") == null ? null : body.raw("AlarmName").asText(null);
    String name = pathName != null ? pathName : bodyName;
    String problem = Names.alarmNameProblem(name);
    if (problem != null) {
      problems.add(problem);
      return null;
    }
    if (pathName != null && bodyName != null && !pathName.equals(bodyName)) {
      problems.add("The body's AlarmName does not match the path's");
    }
    return name;
  }

  private record Actions(
      boolean enabled, List<String> alarm, List<String> ok, List<String> insufficient) {}

  private static Actions actions(Body body, Problems problems) {
    Body.ItemCheck topic =
        (label, value) -> {
          String problem = Names.topicNameProblem(label, value);
          if (problem != null) {
            problems.add(problem);
          }
          return problem == null;
        };
    return new Actions(
        body.bool("ActionsEnabled", true),
        body.strings("AlarmActions", Names.MAX_ACTIONS, topic),
        body.strings("OKActions", Names.MAX_ACTIONS, topic),
        body.strings("InsufficientDataActions", Names.MAX_ACTIONS, topic));
  }
}
