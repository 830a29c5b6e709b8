package dev.portico.alarm.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.eval.Texts;
import dev.portico.alarm.model.AlarmJson;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.Dimension;
import dev.portico.contracts.alarms.MetricQuery;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an alarm action publishes on a transition: the subject ({@code ALARM: "name" in cluster}),
 * the text email of the source lab (why, when, alarm details, threshold, monitored metric, state
 * change actions, a link to the alarm), and the JSON form email-json and http subscribers get. The
 * unsubscribe footer is added per subscription when the message is fanned out.
 */
public final class AlarmMessages {
  /** SNS subjects must stay under 100 characters. */
  static final int MAX_SUBJECT = 99;

  private final String clusterName;
  private final Links links;

  public AlarmMessages(String clusterName, Links links) {
    this.clusterName = clusterName;
    this.links = links;
  }

  public String subject(AlarmDefinition def, AlarmState state) {
    String subject = state.value() + ": \"" + def.alarmName() + "\" in " + clusterName;
    return subject.length() <= MAX_SUBJECT ? subject : subject.substring(0, MAX_SUBJECT);
  }

  public String text(AlarmDefinition def, AlarmState previous, AlarmState state) {
    String when = Texts.emailTime(state.timestamp());
    StringBuilder s = new StringBuilder();
    s.append("You are receiving this email because your Portico alarm \"")
        .append(def.alarmName())
        .append("\" in ")
        .append(clusterName)
        .append(" has entered the ")
        .append(state.value())
        .append(" state, because \"")
        .append(state.reason())
        .append("\" at \"")
        .append(when)
        .append("\".\n\n");
    s.append("View this alarm:\n").append(links.alarm(def.alarmName())).append("\n\n");
    s.append("Alarm Details:\n");
    line(s, "Name", def.alarmName());
    line(s, "Description", def.alarmDescription() == null ? "" : def.alarmDescription());
    line(s, "State Change", previous.value() + " -> " + state.value());
    line(s, "Reason for State Change", state.reason());
    line(s, "Timestamp", when);
    line(s, "Cluster", clusterName);
    s.append('\n');
    if (def.isComposite()) {
      s.append("Alarm Rule:\n- ").append(def.alarmRule()).append("\n\n");
    } else {
      s.append("Threshold:\n- ").append(thresholdSentence(def)).append("\n\n");
      if (def.isMath()) {
        s.append("Monitored Metrics:\n");
        for (MetricQuery q : def.metrics()) {
          metricLine(s, q.id() + (q.returnData() ? " (alarm value)" : ""), describe(q));
        }
        metricLine(s, "Period", def.period() + " seconds");
        metricLine(s, "TreatMissingData", def.treatMissingData());
        s.append('\n');
      } else {
        s.append("Monitored Metric:\n");
        metricLine(s, "MetricNamespace", def.namespace());
        metricLine(s, "MetricName", def.metricName());
        metricLine(s, "Dimensions", dimensions(def.dimensions()));
        metricLine(s, "Period", def.period() + " seconds");
        metricLine(s, "Statistic", def.statisticName());
        metricLine(s, "Unit", def.unit() == null ? "not specified" : def.unit());
        metricLine(s, "TreatMissingData", def.treatMissingData());
        s.append('\n');
      }
    }
    s.append("State Change Actions:\n");
    s.append("- OK: ").append(actions(def.okActions())).append('\n');
    s.append("- ALARM: ").append(actions(def.alarmActions())).append('\n');
    s.append("- INSUFFICIENT_DATA: ").append(actions(def.insufficientDataActions())).append('\n');
    return s.toString();
  }

  /**
   * {@code The alarm is in the ALARM state when the metric is GreaterThanThreshold 100000.0 for 60
   * seconds.}, or with M of N: {@code ... for at least 2 of the last 3 period(s) of 60 seconds.}
   */
  public static String thresholdSentence(AlarmDefinition def) {
    String head =
        "The alarm is in the ALARM state when the metric is "
            + def.comparisonOperator()
            + " "
            + Texts.number(def.threshold())
            + " for ";
    if (def.datapointsToAlarm().equals(def.evaluationPeriods())) {
      return head + (def.period() * def.evaluationPeriods()) + " seconds.";
    }
    return head
        + "at least "
        + def.datapointsToAlarm()
        + " of the last "
        + def.evaluationPeriods()
        + " period(s) of "
        + def.period()
        + " seconds.";
  }

  /** The JSON form, shaped like CloudWatch's SNS alarm message. */
  public String json(AlarmDefinition def, AlarmState previous, AlarmState state) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("AlarmName", def.alarmName());
    m.put("AlarmDescription", def.alarmDescription());
    m.put("AlarmType", def.alarmType());
    m.put("AlarmConfigurationUpdatedTimestamp", iso(def.configurationUpdatedTimestamp()));
    m.put("NewStateValue", state.value());
    m.put("NewStateReason", state.reason());
    m.put("StateChangeTime", iso(state.timestamp()));
    m.put("Cluster", clusterName);
    m.put("AlarmUrl", links.alarm(def.alarmName()));
    m.put("OldStateValue", previous.value());
    putList(m.putArray("OKActions"), def.okActions());
    putList(m.putArray("AlarmActions"), def.alarmActions());
    putList(m.putArray("InsufficientDataActions"), def.insufficientDataActions());
    if (def.isComposite()) {
      m.put("AlarmRule", def.alarmRule());
    } else {
      ObjectNode trigger = m.putObject("Trigger");
      if (def.isMath()) {
        trigger.set("Metrics", AlarmJson.metrics(def.metrics()));
        trigger.put("Period", def.period());
        trigger.put("EvaluationPeriods", def.evaluationPeriods());
        trigger.put("DatapointsToAlarm", def.datapointsToAlarm());
        trigger.put("ComparisonOperator", def.comparisonOperator());
        trigger.put("Threshold", def.threshold());
        trigger.put("TreatMissingData", def.treatMissingData());
        return Json.toString(m);
      }
      trigger.put("MetricName", def.metricName());
      trigger.put("Namespace", def.namespace());
      trigger.put("StatisticType", def.statistic() != null ? "Statistic" : "ExtendedStatistic");
      if (def.statistic() != null) {
        trigger.put("Statistic", def.statistic().toUpperCase(Locale.ROOT));
      } else {
        trigger.put("ExtendedStatistic", def.extendedStatistic());
      }
      trigger.put("Unit", def.unit());
      ArrayNode dims = trigger.putArray("Dimensions");
      def.dimensions().forEach(d -> dims.addObject().put("value", d.value()).put("name", d.name()));
      trigger.put("Period", def.period());
      trigger.put("EvaluationPeriods", def.evaluationPeriods());
      trigger.put("DatapointsToAlarm", def.datapointsToAlarm());
      trigger.put("ComparisonOperator", def.comparisonOperator());
      trigger.put("Threshold", def.threshold());
      trigger.put("TreatMissingData", def.treatMissingData());
    }
    return Json.toString(m);
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static void putList(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void line(StringBuilder s, String label, String value) {
    s.append("- ")
        .append(String.format(Locale.ROOT, "%-26s", label + ":"))
        .append(value)
        .append('\n');
  }

  private static void metricLine(StringBuilder s, String label, String value) {
    s.append("- ")
        .append(String.format(Locale.ROOT, "%-37s", label + ":"))
        .append(value)
        .append('\n');
  }

  private static String dimensions(List<Dimension> dimensions) {
    return dimensions.stream()
        .map(d -> d.name() + " = " + d.value())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** {@code m2/m1*100}, or {@code Portico/Gateway 5XXError [ApiName = shop] Sum}. */
  private static String describe(MetricQuery q) {
    if (q.isExpression()) {
      return q.expression();
    }
    return q.namespace() + " " + q.metricName() + " " + dimensions(q.dimensions()) + " " + q.stat();
  }

  private static String actions(List<String> topics) {
    return topics.isEmpty() ? "" : "[" + String.join(", ", topics) + "]";
  }
}
