package dev.portico.metrics.ingest;

import dev.portico.metrics.model.Aggregate;
import java.util.List;

/** What one event contributes to one metric of a cell. */
public sealed interface MetricSample {
  String name();

  String unit();

  void addTo(Aggregate aggregate);

  /** One value (a gateway request's latency, a datum's {@code Value}). */
  record Single(String name, String unit, double value) implements MetricSample {
    @Override
    public void addTo(Aggregate aggregate) {
      aggregate.add(value, 1);
      aggregate.unit(unit);
    }
  }

  /** {@code Values[]} with optional {@code Counts[]} (each value counted once when absent). */
  record Distribution(String name, String unit, List<Double> values, List<Double> counts)
      implements MetricSample {
    @Override
    public void addTo(Aggregate aggregate) {
      for (int i = 0; i < values.size(); i++) {
        aggregate.add(values.get(i), counts == null ? 1 : counts.get(i));
      }
      aggregate.unit(unit);
    }
  }

  /** A {@code StatisticSet}: SampleCount, Sum, Minimum, Maximum without the values. */
  record Summary(String name, String unit, double count, double sum, double min, double max)
      implements MetricSample {
    @Override
    public void addTo(Aggregate aggregate) {
      aggregate.addStatisticSet(count, sum, min, max);
      aggregate.unit(unit);
    }
  }
}
