package dev.portico.metrics.query;

import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.MetricId;
import java.util.List;

/** Read access to final aggregates and the metric index. Blocking: call it off the event loop. */
public interface MetricReader {
  /** The tier's periods of {@code metric} starting in [from, to), in time order. */
  List<Period> periods(MetricId metric, Tier tier, long from, long to);

  /** Every known metric and the start of its latest final minute. */
  List<Seen> metrics();

  /** One final period of one tier. */
  record Period(long start, Aggregate aggregate) {}

  /** A metric the index knows. */
  record Seen(MetricId metric, long lastMinute) {}
}
