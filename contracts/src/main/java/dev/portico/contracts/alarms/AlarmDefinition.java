package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An alarm as PutMetricAlarm or PutCompositeAlarm defined it. Metric alarms fill the metric fields
 * and leave {@code alarmRule} null; composite alarms the reverse. Dimensions are sorted by name, so
 * two definitions of the same metric compare equal. A metric-math alarm (PutMetricAlarm with {@code
 * Metrics}) has {@code metrics} instead of namespace, name, dimensions and statistic, and {@code
 * period} is the common period of its MetricStat entries.
 *
 * @param alarmType {@link #METRIC} or {@link #COMPOSITE}
 * @param configurationUpdatedTimestamp epoch ms of the last PutMetricAlarm/PutCompositeAlarm
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlarmDefinition(
    String alarmName,
    String alarmType,
    String alarmDescription,
    String namespace,
    String metricName,
    List<Dimension> dimensions,
    String statistic,
    String extendedStatistic,
    String unit,
    Integer period,
    Integer evaluationPeriods,
    Integer datapointsToAlarm,
    Double threshold,
    String comparisonOperator,
    String treatMissingData,
    String alarmRule,
    boolean actionsEnabled,
    List<String> alarmActions,
    List<String> okActions,
    List<String> insufficientDataActions,
    long configurationUpdatedTimestamp,
    List<MetricQuery> metrics) {

  public static final String METRIC = "MetricAlarm";
  public static final String COMPOSITE = "CompositeAlarm";

  /** An alarm on a metric-math expression ({@code Metrics}). */
  @JsonIgnore
  public boolean isMath() {
    return metrics != null;
  }

  /** The entry of {@code metrics} whose values the alarm watches (ReturnData true). */
  @JsonIgnore
  public MetricQuery returned() {
    return metrics == null
        ? null
        : metrics.stream().filter(MetricQuery::returnData).findFirst().orElse(null);
  }

  @JsonIgnore
  public boolean isComposite() {
    return COMPOSITE.equals(alarmType);
  }

  /** The statistic's name as reason data and emails show it: {@code Maximum} or {@code p99}. */
  @JsonIgnore
  public String statisticName() {
    return statistic != null ? statistic : extendedStatistic;
  }

  /** The topics to notify when the alarm enters {@code state}. */
  public List<String> actionsFor(String state) {
    return switch (state) {
      case AlarmState.ALARM -> alarmActions;
      case AlarmState.OK -> okActions;
      default -> insufficientDataActions;
    };
  }

  /**
   * The alarm watches the same data as {@code other}: its datapoints stay valid across an update.
   */
  public boolean sameDataAs(AlarmDefinition other) {
    return other != null
        && java.util.Objects.equals(namespace, other.namespace)
        && java.util.Objects.equals(metricName, other.metricName)
        && java.util.Objects.equals(dimensions, other.dimensions)
        && java.util.Objects.equals(statisticName(), other.statisticName())
        && java.util.Objects.equals(period, other.period)
        && java.util.Objects.equals(metrics, other.metrics);
  }

  public AlarmDefinition withActionsEnabled(boolean enabled) {
    return new AlarmDefinition(
        alarmName,
        alarmType,
        alarmDescription,
        namespace,
        metricName,
        dimensions,
        statistic,
        extendedStatistic,
        unit,
        period,
        evaluationPeriods,
        datapointsToAlarm,
        threshold,
        comparisonOperator,
        treatMissingData,
        alarmRule,
        enabled,
        alarmActions,
        okActions,
        insufficientDataActions,
        configurationUpdatedTimestamp,
        metrics);
  }
}
