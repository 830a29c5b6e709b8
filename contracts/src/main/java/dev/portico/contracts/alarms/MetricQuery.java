package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One entry of a metric-math alarm's {@code Metrics} (CloudWatch's MetricDataQuery in
 * PutMetricAlarm): either a metric with a period and a statistic ({@code MetricStat}) or an
 * expression over the other entries. Exactly one entry of an alarm has {@code returnData}: its
 * values are what the alarm compares with the threshold.
 *
 * @param stat {@code SampleCount}, {@code Sum}, {@code Average}, {@code Minimum}, {@code Maximum}
 *     or a percentile {@code pNN(.N)}; null for an expression
 * @param dimensions sorted by name; null for an expression
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricQuery(
    String id,
    String expression,
    String label,
    boolean returnData,
    String namespace,
    String metricName,
    List<Dimension> dimensions,
    Integer period,
    String stat) {

  @JsonIgnore
  public boolean isExpression() {
    return expression != null;
  }
}
