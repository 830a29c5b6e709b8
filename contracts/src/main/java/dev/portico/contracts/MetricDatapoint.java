package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A final statistics datapoint of one metric for one period: emitted by metrics-service once the
 * period's grace has passed, never changed afterwards. Only final datapoints drive alarms.
 *
 * @param dimensions sorted by name
 * @param period seconds (1, 5, 10, 30, 60 or a multiple of 60)
 * @param timestamp epoch milliseconds of the period's start
 * @param sketch the period's values as a serialized mergeable sketch (base64; see metrics-service's
 *     docs for the format and its relative error), so any percentile can be computed by a reader;
 *     {@code null} when the period had only statistic sets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricDatapoint(
    String namespace,
    String metricName,
    Map<String, String> dimensions,
    int period,
    long timestamp,
    double sampleCount,
    double sum,
    double minimum,
    double maximum,
    String unit,
    String sketch) {}
