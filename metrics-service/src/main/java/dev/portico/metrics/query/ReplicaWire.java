package dev.portico.metrics.query;

import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.MetricId;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What replicas send each other for queries ({@code /metrics/internal/...}): a replica's own
 * periods of one metric, or its own part of the metric index. Aggregates travel in the state
 * stores' binary encoding (base64), sketches included, so the asking replica merges them exactly as
 * if they were its own.
 */
public final class ReplicaWire {
  private ReplicaWire() {}

  /** Periods of one metric and tier. */
  public record Periods(List<EncodedPeriod> periods) {
    public static Periods of(List<MetricReader.Period> periods) {
      return new Periods(
          periods.stream().map(p -> new EncodedPeriod(p.start(), encode(p.aggregate()))).toList());
    }

    public List<MetricReader.Period> decode() {
      return periods.stream()
          .map(p -> new MetricReader.Period(p.start(), decodeAggregate(p.aggregate())))
          .toList();
    }
  }

  /** One period, its aggregate encoded. */
  public record EncodedPeriod(long start, String aggregate) {}

  /** A replica's part of the metric index. */
  public record Index(List<Entry> metrics) {
    public static Index of(List<MetricReader.Seen> seen) {
      return new Index(
          seen.stream()
              .map(
                  s ->
                      new Entry(
                          s.metric().namespace(),
                          s.metric().metricName(),
                          s.metric().dimensions(),
                          s.lastMinute()))
              .toList());
    }

    public List<MetricReader.Seen> decode() {
      return metrics.stream()
          .map(
              e ->
                  new MetricReader.Seen(
                      MetricId.of(e.namespace(), e.metricName(), e.dimensions()), e.lastMinute()))
          .toList();
    }
  }

  /** One metric of the index. */
  public record Entry(
      String namespace, String metricName, Map<String, String> dimensions, long lastMinute) {}

  private static String encode(Aggregate aggregate) {
    return Base64.getEncoder()
        .encodeToString(AggregateCodec.aggregateSerde().serializer().serialize("", aggregate));
  }

  private static Aggregate decodeAggregate(String encoded) {
    return AggregateCodec.aggregateSerde()
        .deserializer()
        .deserialize("", Base64.getDecoder().decode(encoded));
  }
}
