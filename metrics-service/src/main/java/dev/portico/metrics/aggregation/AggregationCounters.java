package dev.portico.metrics.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Prometheus counters of one input (gateway, function or custom): records ingested, records
 * rejected, samples that arrived after their period was final, and datapoints emitted per period.
 * Counted as processed, so a record reprocessed after a crash counts twice here (the datapoints
 * themselves never do).
 */
public final class AggregationCounters {
  private final Counter ingested;
  private final Counter invalid;
  private final Map<Tier, Counter> late = new EnumMap<>(Tier.class);
  private final Map<Tier, Counter> emitted = new EnumMap<>(Tier.class);

  public AggregationCounters(MeterRegistry registry, String source) {
    ingested =
        Counter.builder("portico.metrics.events.ingested")
            .description("Input records turned into samples")
            .tag("source", source)
            .register(registry);
    invalid =
        Counter.builder("portico.metrics.events.invalid")
            .description("Input records skipped: invalid, or gateway requests that matched no API")
            .tag("source", source)
            .register(registry);
    for (Tier tier : Tier.values()) {
      late.put(
          tier,
          Counter.builder("portico.metrics.late.samples")
              .description(
                  "Samples for a period already final: stored for queries, never re-emitted")
              .tag("source", source)
              .tag("period", Integer.toString(tier.seconds()))
              .register(registry));
      emitted.put(
          tier,
          Counter.builder("portico.metrics.datapoints.emitted")
              .description("Final datapoints written to the datapoints topic")
              .tag("source", source)
              .tag("period", Integer.toString(tier.seconds()))
              .register(registry));
    }
  }

  public void ingested() {
    ingested.increment();
  }

  public void invalid() {
    invalid.increment();
  }

  public void late(Tier tier) {
    late.get(tier).increment();
  }

  public void emitted(Tier tier) {
    emitted.get(tier).increment();
  }
}
