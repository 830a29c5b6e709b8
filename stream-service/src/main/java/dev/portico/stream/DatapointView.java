package dev.portico.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import java.time.Instant;
import java.util.Optional;

/**
 * A final datapoint as a dashboard shows it: CloudWatch's statistic names (SampleCount, Sum,
 * Average, Minimum, Maximum), p50/p90/p99 computed from the sketch ({@code null} when the period
 * has none), the period's start as ISO-8601 UTC, and the dimensions in channel order.
 */
final class DatapointView {
  static final double[] PERCENTILES = {50, 90, 99};

  private DatapointView() {}

  static ObjectNode of(MetricDatapoint datapoint) {
    ObjectNode view =
        Json.MAPPER
            .createObjectNode()
            .put("namespace", datapoint.namespace())
            .put("metricName", datapoint.metricName());
    ObjectNode dimensions = view.putObject("dimensions");
    if (datapoint.dimensions() != null) {
      ChannelNames.ordered(datapoint.dimensions()).forEach(dimensions::put);
    }
    view.put("period", datapoint.period())
        .put("timestamp", Instant.ofEpochMilli(datapoint.timestamp()).toString())
        .put("unit", datapoint.unit())
        .put("SampleCount", datapoint.sampleCount())
        .put("Sum", datapoint.sum());
    if (datapoint.sampleCount() > 0) {
      view.put("Average", datapoint.sum() / datapoint.sampleCount());
    } else {
      view.putNull("Average");
    }
    view.put("Minimum", datapoint.minimum()).put("Maximum", datapoint.maximum());
    Optional<Percentiles> percentiles =
        Percentiles.of(datapoint.sketch(), datapoint.minimum(), datapoint.maximum());
    for (double percent : PERCENTILES) {
      String name = "p" + (int) percent;
      if (percentiles.isPresent()) {
        view.put(name, percentiles.get().at(percent));
      } else {
        view.putNull(name);
      }
    }
    return view;
  }
}
