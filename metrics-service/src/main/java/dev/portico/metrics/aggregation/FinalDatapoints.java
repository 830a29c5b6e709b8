package dev.portico.metrics.aggregation;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Topics;
import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.MetricId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Record;

/** The record of a final period's datapoint, as {@link WindowAggregator} emits it once. */
final class FinalDatapoints {
  private FinalDatapoints() {}

  static Record<String, MetricDatapoint> record(
      MetricId id, Tier tier, long start, Aggregate aggregate, long now) {
    MetricDatapoint datapoint =
        new MetricDatapoint(
            id.namespace(),
            id.metricName(),
            id.dimensions(),
            tier.seconds(),
            start,
            aggregate.sampleCount(),
            aggregate.sum(),
            aggregate.minimum(),
            aggregate.maximum(),
            aggregate.unit(),
            aggregate.encodedSketch());
    String key = id.kafkaKey();
    // The same period of the same metric always gets the same event id.
    String eventId =
        UUID.nameUUIDFromBytes(
                (key + "|" + tier.seconds() + "|" + start).getBytes(StandardCharsets.UTF_8))
            .toString();
    return new Record<>(key, datapoint, now, Topics.METRICS_DATAPOINTS.headers(eventId, datapoint));
  }
}
