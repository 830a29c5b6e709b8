package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.alarm.eval.Comparison;
import dev.portico.alarm.eval.MissingData;
import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricUnits;
import dev.portico.contracts.StatisticName;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.Dimension;
import dev.portico.contracts.alarms.MetricQuery;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads PutMetricAlarm, PutCompositeAlarm and SetAlarmState bodies (CloudWatch's field names) into
 * definitions, enforcing every limit of the spec and naming each violation.
 */
final class AlarmRequests {
  static final Set<String> STATISTICS =
      Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

  static final Set<String> UNITS = MetricUnits.ALL;

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
      dimensions = dimensions(body.raw("Dimensions"), "Dimensions", problems);
      statistic = body.string("Statistic", false, 1, 20);
      extended = body.string("ExtendedStatistic", false, 1, 20);
      if (body.has("Statistic") == body.has("ExtendedStatistic")) {
        problems.add("Give exactly one of Statistic and ExtendedStatistic");
      } else if (statistic != null && !STATISTICS.contains(statistic)) {
        problems.add("Statistic must be one of SampleCount, Average, Sum, Minimum, Maximum");
      } else if (extended != null && !percentile(extended)) {
        problems.add("ExtendedStatistic must be a percentile p0 to p100, e.g. p99 or p99.9");
      }
      unit = body.string("Unit", false, 1, 32);
      if (unit != null && !UNITS.contains(unit)) {
        problems.add(
            "Unit must be a CloudWatch unit such as Count, Bytes, Milliseconds or Percent");
      }
      period = body.integer("Period", true, 1, 86_400);
      if (period != null && !isPeriod(period)) {
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

  static boolean isPeriod(int period) {
    return period == 1 || period == 5 || period == 10 || period == 30 || period % 60 == 0;
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

  /** SetAlarmState: the state to set, stamped by the processor. */
  static AlarmState setAlarmState(Buffer buffer) {
    Problems problems = new Problems();
    Body body =
        Body.parse(
            buffer,
            Set.of("AlarmName", "StateValue", "StateReason", "StateReasonData"),
            problems,
            false);
    String value = body.string("StateValue", true, 1, 32);
    if (value != null && !AlarmState.isValue(value)) {
      problems.add("StateValue must be OK, ALARM or INSUFFICIENT_DATA");
    }
    String reason = reason(body, problems);
    String data = null;
    JsonNode raw = body.raw("StateReasonData");
    if (raw != null && !raw.isNull()) {
      if (!raw.isTextual()) {
        problems.add("StateReasonData must be a string holding JSON");
      } else if (raw.asText().length() > 4000) {
        problems.add("StateReasonData must be at most 4000 characters");
      } else {
        try {
          Json.MAPPER.readTree(raw.asText());
          data = raw.asText();
        } catch (Exception e) {
          problems.add("StateReasonData must be valid JSON");
        }
      }
    }
    problems.throwIfAny();
    return new AlarmState(value, reason, data, 0, 0, true);
  }

  private static String reason(Body body, Problems problems) {
    JsonNode raw = body.raw("StateReason");
    if (raw == null || raw.isNull()) {
      problems.add("StateReason is required");
      return null;
    }
    if (!raw.isTextual()) {
      problems.add("StateReason must be a string");
      return null;
    }
    String reason = raw.asText();
    if (reason.codePointCount(0, reason.length()) > 1023) {
      problems.add("StateReason must be at most 1023 characters");
      return null;
    }
    return reason;
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

  static boolean percentile(String s) {
    return StatisticName.isPercentile(s);
  }

  /** {@code [{"Name", "Value"}, ...]} at {@code field}, sorted by name. */
  static List<Dimension> dimensions(JsonNode raw, String field, Problems problems) {
    if (raw == null || raw.isNull()) {
      return List.of();
    }
    if (!raw.isArray()) {
      problems.add(field + " must be an array of {Name, Value}");
      return List.of();
    }
    if (raw.size() > 30) {
      problems.add(field + " may have at most 30 items (got " + raw.size() + ")");
      return List.of();
    }
    List<Dimension> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonNode d = raw.get(i);
      String label = field + "[" + i + "]";
      if (!d.isObject() || !d.path("Name").isTextual() || !d.path("Value").isTextual()) {
        problems.add(label + " must be an object with string Name and Value");
        continue;
      }
      if (d.size() != 2) {
        problems.add(label + " must have only Name and Value");
        continue;
      }
      String dname = d.get("Name").asText();
      String dvalue = d.get("Value").asText();
      boolean ok =
          check(problems, label + ".Name", dname, 255)
              & check(problems, label + ".Value", dvalue, 1024);
      if (ok && !seen.add(dname)) {
        problems.add(label + ".Name repeats " + dname);
        ok = false;
      }
      if (ok) {
        out.add(new Dimension(dname, dvalue));
      }
    }
    out.sort(Comparator.comparing(Dimension::name));
    return List.copyOf(out);
  }

  private static boolean check(Problems problems, String label, String s, int max) {
    int length = s.codePointCount(0, s.length());
    if (length < 1 || length > max) {
      problems.add(label + " must be 1-" + max + " characters long (got " + length + ")");
      return false;
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      problems.add(label + " must not contain control characters");
      return false;
    }
    return true;
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
