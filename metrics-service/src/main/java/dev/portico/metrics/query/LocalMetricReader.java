package dev.portico.metrics.query;

import dev.portico.metrics.aggregation.MetricStores;
import dev.portico.metrics.aggregation.MetricsTopology;
import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.ingest.FunctionMetrics;
import dev.portico.metrics.ingest.GatewayMetrics;
import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.MetricId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Reads this replica's own stores (interactive queries over the partitions it owns). Gateway
 * metrics live in the gateway pipeline's stores, function metrics in the function pipeline's, every
 * other namespace in the custom pipeline's. {@link RoutingMetricReader} sends a query for another
 * replica's partition there.
 */
public final class LocalMetricReader implements MetricReader {
  private final Supplier<KafkaStreams> streams;

  public LocalMetricReader(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  static MetricStores storesOf(MetricId metric) {
    return switch (metric.namespace()) {
      case GatewayMetrics.NAMESPACE -> MetricsTopology.GATEWAY_STORES;
      case FunctionMetrics.NAMESPACE -> MetricsTopology.FUNCTION_STORES;
      default -> MetricsTopology.CUSTOM_STORES;
    };
  }

  @Override
  public List<Period> periods(MetricId metric, Tier tier, long from, long to) {
    var store =
        streams
            .get()
            .store(
                StoreQueryParameters.fromNameAndType(
                    storesOf(metric).tier(tier),
                    QueryableStoreTypes.<MetricId, Aggregate>windowStore()));
    List<Period> periods = new ArrayList<>();
    try (var iterator =
        store.fetch(metric, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to - 1))) {
      iterator.forEachRemaining(entry -> periods.add(new Period(entry.key, entry.value)));
    }
    return periods;
  }

  @Override
  public List<Seen> metrics() {
    List<Seen> seen = new ArrayList<>();
    for (MetricStores stores :
        List.of(
            MetricsTopology.GATEWAY_STORES,
            MetricsTopology.FUNCTION_STORES,
            MetricsTopology.CUSTOM_STORES)) {
      var store =
          streams
              .get()
              .store(
                  StoreQueryParameters.fromNameAndType(
                      stores.index(), QueryableStoreTypes.<MetricId, Long>keyValueStore()));
      try (var iterator = store.all()) {
        iterator.forEachRemaining(entry -> seen.add(new Seen(entry.key, entry.value)));
      }
    }
    return seen;
  }
}
