package dev.portico.alarm.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.MetricQuery;
import java.time.Instant;
import java.util.List;

/**
 * An alarm in CloudWatch's own shape and field names (MetricAlarm / CompositeAlarm), as
 * DescribeAlarms returns it and as history and state-change events embed its configuration.
 */
public final class AlarmJson {
  private AlarmJson() {}

  /** The alarm with its state; {@code state} may be null for configuration only. */
  public static ObjectNode describe(AlarmDefinition def, AlarmState state) {
    ObjectNode a = Json.MAPPER.createObjectNode();
    a.put("AlarmName", def.alarmName());
    if (def.alarmDescription() != null) {
      a.put("AlarmDescription", def.alarmDescription());
    }
    a.put("AlarmConfigurationUpdatedTimestamp", iso(def.configurationUpdatedTimestamp()));
    a.put("ActionsEnabled", def.actionsEnabled());
    list(a.putArray("OKActions"), def.okActions());
    list(a.putArray("AlarmActions"), def.alarmActions());
    list(a.putArray("InsufficientDataActions"), def.insufficientDataActions());
    if (state != null) {
      a.put("StateValue", state.value());
      a.put("StateReason", state.reason());
      if (state.reasonData() != null) {
        a.put("StateReasonData", state.reasonData());
      }
      a.put("StateUpdatedTimestamp", iso(state.timestamp()));
      a.put("StateTransitionedTimestamp", iso(state.transitionedTimestamp()));
    }
    if (def.isComposite()) {
      a.put("AlarmRule", def.alarmRule());
      return a;
    }
    if (def.isMath()) {
      a.set("Metrics", metrics(def.metrics()));
    } else {
      a.put("MetricName", def.metricName());
      a.put("Namespace", def.namespace());
      if (def.statistic() != null) {
        a.put("Statistic", def.statistic());
      } else {
        a.put("ExtendedStatistic", def.extendedStatistic());
      }
      ArrayNode dims = a.putArray("Dimensions");
      def.dimensions().forEach(d -> dims.addObject().put("Name", d.name()).put("Value", d.value()));
      a.put("Period", def.period());
    }
    if (def.unit() != null) {
      a.put("Unit", def.unit());
    }
    a.put("EvaluationPeriods", def.evaluationPeriods());
    a.put("DatapointsToAlarm", def.datapointsToAlarm());
    a.put("Threshold", def.threshold());
    a.put("ComparisonOperator", def.comparisonOperator());
    a.put("TreatMissingData", def.treatMissingData());
    return a;
  }

  /** A metric-math alarm's Metrics, as PutMetricAlarm takes them (MetricDataQuery). */
  public static ArrayNode metrics(List<MetricQuery> metrics) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (MetricQuery q : metrics) {
      ObjectNode query = array.addObject();
      query.put("Id", q.id());
      if (q.isExpression()) {
        query.put("Expression", q.expression());
      } else {
        ObjectNode stat = query.putObject("MetricStat");
        ObjectNode metric = stat.putObject("Metric");
        metric.put("Namespace", q.namespace());
        metric.put("MetricName", q.metricName());
        ArrayNode dims = metric.putArray("Dimensions");
        q.dimensions().forEach(d -> dims.addObject().put("Name", d.name()).put("Value", d.value()));
        stat.put("Period", q.period());
        stat.put("Stat", q.stat());
      }
      if (q.label() != null) {
        query.put("Label", q.label());
      }
      query.put("ReturnData", q.returnData());
    }
    return array;
  }

  public static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static void list(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
