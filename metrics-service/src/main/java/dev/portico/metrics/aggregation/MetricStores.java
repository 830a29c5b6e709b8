package dev.portico.metrics.aggregation;

import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.MetricId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The state stores of one pipeline ({@code gateway}, {@code function} or {@code custom}), all
 * changelogged:
 *
 * <ul>
 *   <li>{@code <p>-open}: aggregates of periods not final yet, in memory (small: only open periods)
 *       as live objects ({@link LiveCellStore}), so a burst of samples to one cell costs one
 *       changelog write per commit;
 *   <li>{@code <p>-watermark}: the time up to which periods have been closed, so a restart never
 *       reopens a final period;
 *   <li>{@code <p>-1s}, {@code -1m}, {@code -5m}, {@code -1h}: final aggregates per tier, RocksDB
 *       window stores whose retention is the tier's;
 *   <li>{@code <p>-metrics}: every metric seen and the start of its latest minute, for ListMetrics.
 * </ul>
 */
public final class MetricStores {
  private final String prefix;

  public MetricStores(String prefix) {
    this.prefix = prefix;
  }

  public String open() {
    return prefix + "-open";
  }

  public String watermark() {
    return prefix + "-watermark";
  }

  public String tier(Tier tier) {
    return prefix + "-" + tier.label();
  }

  public String index() {
    return prefix + "-metrics";
  }

  public String[] names() {
    List<String> names = new ArrayList<>(List.of(open(), watermark(), index()));
    for (Tier tier : Tier.values()) {
      names.add(tier(tier));
    }
    return names.toArray(String[]::new);
  }

  public void addTo(StreamsBuilder builder, Retention retention) {
    builders(retention).forEach(builder::addStateStore);
  }

  List<StoreBuilder<?>> builders(Retention retention) {
    List<StoreBuilder<?>> builders = new ArrayList<>();
    builders.add(
        LiveCellStore.builder(
            Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(open()), Serdes.Bytes(), AggregateCodec.cellSerde())));
    builders.add(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(watermark()), Serdes.String(), Serdes.Long()));
    builders.add(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(index()),
            AggregateCodec.metricIdSerde(),
            Serdes.Long()));
    for (Tier tier : Tier.values()) {
      StoreBuilder<WindowStore<MetricId, Aggregate>> tierStore =
          Stores.windowStoreBuilder(
              Stores.persistentWindowStore(tier(tier), retention.of(tier), tier.duration(), false),
              AggregateCodec.metricIdSerde(),
              AggregateCodec.aggregateSerde());
      builders.add(tierStore);
    }
    return builders;
  }
}
