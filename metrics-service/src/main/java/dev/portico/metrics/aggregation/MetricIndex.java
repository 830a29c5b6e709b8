package dev.portico.metrics.aggregation;

import dev.portico.metrics.model.MetricId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What ListMetrics lists: every metric with the start of its latest minute of data, and the metrics
 * without data in the last two weeks forgotten (checked once an hour).
 */
final class MetricIndex {
  private static final Duration INDEX_SWEEP_INTERVAL = Duration.ofHours(1);
  private static final Duration LIST_METRICS_HORIZON = Duration.ofDays(14);

  private final KeyValueStore<MetricId, Long> index;
  private long lastIndexSweep;

  MetricIndex(KeyValueStore<MetricId, Long> index) {
    this.index = index;
  }

  /** The minute starting at {@code start} is the metric's latest (a period closing). */
  void lastDataAt(MetricId id, long start) {
    index.put(id, start);
  }

  /** The metric had data in the minute starting at {@code start} (a late sample: maybe older). */
  void hadDataAt(MetricId id, long start) {
    Long seen = index.get(id);
    if (seen == null || seen < start) {
      index.put(id, start);
    }
  }

  /** Forgets, for ListMetrics, metrics without data in the last two weeks. */
  void sweep(long now) {
    if (now - lastIndexSweep < INDEX_SWEEP_INTERVAL.toMillis()) {
      return;
    }
    lastIndexSweep = now;
    long horizon = now - LIST_METRICS_HORIZON.toMillis();
    List<MetricId> stale = new ArrayList<>();
    try (var iterator = index.all()) {
      iterator.forEachRemaining(
          entry -> {
            if (entry.value < horizon) {
              stale.add(entry.key);
            }
          });
    }
    stale.forEach(index::delete);
  }
}
