package dev.portico.metrics.aggregation;

import dev.portico.metrics.model.Aggregate;
import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.MetricId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the disk budget by deleting the oldest final aggregates, finest tier first.
 *
 * <p>Who does what: {@code StateDiskUsage} measures the state directory (off the stream threads)
 * and, while it is over budget, {@linkplain #request asks} for a share of the stored data to go:
 * the share that brings it back to 90% of the budget. Each aggregation task's punctuator (on its
 * stream thread, the owner of the stores) then, once per request, counts its tier stores' entries
 * and bytes by age and deletes, in this order, the oldest 1-second periods, then the oldest
 * 1-minute, 5-minute and 1-hour periods, until that share of its own data is gone. A tier is cut at
 * one time (its <i>horizon</i>) for every metric of the task: older periods of it are gone, newer
 * ones are all kept. Deletes go through the changelogged stores, so the changelogs carry tombstones
 * and a restore does not bring the data back.
 *
 * <p>The application config carries the enforcer ({@link #CONFIG}); without it (tests with a
 * TopologyTestDriver) nothing is scheduled.
 */
public final class BudgetEnforcer {
  /** The Streams config key under which the service passes its enforcer to the processors. */
  public static final String CONFIG = "portico.metrics.budget.enforcer";

  private static final Logger LOG = LoggerFactory.getLogger(BudgetEnforcer.class);
  private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** Age buckets per tier: the granularity of a horizon is the tier's retention / 1024. */
  private static final int BUCKETS = 1024;

  /** A window store entry's key also holds the window start (8) and a sequence number (4). */
  private static final int WINDOW_KEY_OVERHEAD = 12;

  /** Tiers in the order they give up data: the finest first, as the coarser ones cover it. */
  static final List<Tier> EVICTION_ORDER =
      List.of(Tier.SECOND, Tier.MINUTE, Tier.FIVE_MINUTES, Tier.HOUR);

  private final AtomicLong generation = new AtomicLong();
  private volatile double share;
  private final AtomicLong evictedBytes = new AtomicLong();
  private final Map<Tier, Counter> evicted = new EnumMap<>(Tier.class);
  private final Map<Tier, AtomicLong> horizons = new EnumMap<>(Tier.class);

  public BudgetEnforcer(MeterRegistry registry) {
    for (Tier tier : Tier.values()) {
      evicted.put(
          tier,
          Counter.builder("portico.metrics.budget.evictions")
              .description("Final aggregates deleted to keep PORTICO_METRICS_DISK_BUDGET_MB")
              .tag("tier", tier.label())
              .register(registry));
      AtomicLong horizon = new AtomicLong();
      horizons.put(tier, horizon);
      Gauge.builder("portico.metrics.budget.horizon.timestamp", horizon, h -> h.get() / 1000.0)
          .description(
              "Periods of this tier starting before this time (epoch seconds) were deleted to keep"
                  + " the disk budget; 0: none")
          .tag("tier", tier.label())
          .baseUnit("seconds")
          .register(registry);
    }
    Gauge.builder("portico.metrics.budget.evicted.bytes", evictedBytes, AtomicLong::get)
        .description(
            "Bytes of final aggregates deleted to keep the disk budget (before compaction)")
        .baseUnit("bytes")
        .register(registry);
  }

  /**
   * Asks every task to delete {@code share} (0-1) of its stored final aggregates, by bytes, oldest
   * and finest first. Called by the disk measurement; carried out by the stream threads within a
   * second.
   */
  public void request(double share) {
    this.share = Math.max(0, Math.min(1, share));
    generation.incrementAndGet();
  }

  /** How many evictions were requested so far. */
  public long requests() {
    return generation.get();
  }

  /** Bytes (keys and values as stored) deleted so far; on disk they go at the next compaction. */
  public long evictedBytes() {
    return evictedBytes.get();
  }

  /**
   * Periods of {@code tier} starting before this (epoch ms) were deleted for the budget; 0: none.
   */
  public long horizon(Tier tier) {
    return horizons.get(tier).get();
  }

  /**
   * Schedules the enforcement of the task that owns {@code stores}, when the app has an enforcer.
   */
  public static void schedule(
      ProcessorContext<?, ?> context, MetricStores stores, AggregationSettings settings) {
    if (context.appConfigs().get(CONFIG) instanceof BudgetEnforcer enforcer) {
      Map<Tier, WindowStore<MetricId, Aggregate>> tiers = new EnumMap<>(Tier.class);
      for (Tier tier : Tier.values()) {
        tiers.put(tier, context.getStateStore(stores.tier(tier)));
      }
      TaskEvictor evictor =
          enforcer
          .new TaskEvictor(
              "task " + context.taskId() + " (" + stores.open().replace("-open", "") + ")",
              tiers,
              settings);
      context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> evictor.check());
    }
  }

  /** One task's enforcement: runs on its stream thread, in its transaction. */
  private final class TaskEvictor {
    private final String name;
    private final Map<Tier, WindowStore<MetricId, Aggregate>> tiers;
    private final Retention retention;
    private final Clock clock;
    private final Serializer<MetricId> keys = AggregateCodec.metricIdSerde().serializer();
    private final Serializer<Aggregate> values = AggregateCodec.aggregateSerde().serializer();

    /** Requests made before the task started were for the data of the task's previous owner. */
    private long served = generation.get();

    TaskEvictor(
        String name,
        Map<Tier, WindowStore<MetricId, Aggregate>> tiers,
        AggregationSettings settings) {
      this.name = name;
      this.tiers = tiers;
      this.retention = settings.retention();
      this.clock = settings.clock();
    }

    void check() {
      long requested = generation.get();
      if (requested == served) {
        return;
      }
      served = requested;
      evict(share, clock.millis());
    }

    private long bytes(MetricId key, Aggregate value) {
      return keys.serialize(null, key).length
          + values.serialize(null, value).length
          + WINDOW_KEY_OVERHEAD;
    }

    private long base(Tier tier, long now) {
      return tier.windowStart(now - retention.of(tier).toMillis());
    }

    private long width(Tier tier) {
      long perBucket = retention.of(tier).toMillis() / BUCKETS;
      return Math.max(1, (perBucket + tier.millis() - 1) / tier.millis()) * tier.millis();
    }

    private int bucket(Tier tier, long start, long now) {
      long index = Math.floorDiv(start - base(tier, now), width(tier));
      return (int) Math.max(0, Math.min(BUCKETS - 1, index));
    }

    void evict(double share, long now) {
      // Census: bytes per tier and age bucket.
      Map<Tier, long[]> census = new EnumMap<>(Tier.class);
      long total = 0;
      for (Tier tier : EVICTION_ORDER) {
        long[] buckets = new long[BUCKETS];
        try (var iterator = tiers.get(tier).all()) {
          while (iterator.hasNext()) {
            var entry = iterator.next();
            long size = bytes(entry.key.key(), entry.value);
            buckets[bucket(tier, entry.key.window().start(), now)] += size;
            total += size;
          }
        }
        census.put(tier, buckets);
      }
      long target = (long) Math.ceil(share * total);
      if (target <= 0) {
        return;
      }
      // Horizons: whole buckets, oldest first, finest tier first, until the target is reached.
      Map<Tier, Long> cutoffs = new EnumMap<>(Tier.class);
      long planned = 0;
      for (Tier tier : EVICTION_ORDER) {
        if (planned >= target) {
          break;
        }
        long[] buckets = census.get(tier);
        int last = -1;
        for (int i = 0; i < BUCKETS && planned < target; i++) {
          if (buckets[i] > 0) {
            planned += buckets[i];
            last = i;
          }
        }
        if (last >= 0) {
          // The last bucket also holds everything newer (clamped): cut at the end of time then.
          cutoffs.put(
              tier,
              last == BUCKETS - 1 ? Long.MAX_VALUE : base(tier, now) + (last + 1) * width(tier));
        }
      }
      long freed = 0;
      for (var cutoff : cutoffs.entrySet()) {
        freed += delete(cutoff.getKey(), cutoff.getValue());
      }
      evictedBytes.addAndGet(freed);
      Map<Tier, Instant> horizons = new EnumMap<>(Tier.class);
      cutoffs.forEach((tier, cutoff) -> horizons.put(tier, Instant.ofEpochMilli(horizon(tier))));
      LOG.warn(
          "disk budget: {} deleted {} of {} bytes of final aggregates (asked {}%); periods"
              + " starting before these times are gone: {}",
          name, freed, total, Math.round(share * 100), horizons);
    }

    /** Deletes the tier's periods starting before {@code cutoff}; returns the bytes freed. */
    private long delete(Tier tier, long cutoff) {
      WindowStore<MetricId, Aggregate> store = tiers.get(tier);
      List<Windowed<MetricId>> doomed = new ArrayList<>();
      long freed = 0;
      try (var iterator =
          store.fetchAll(Instant.ofEpochMilli(0), Instant.ofEpochMilli(cutoff - 1))) {
        while (iterator.hasNext()) {
          var entry = iterator.next();
          doomed.add(entry.key);
          freed += bytes(entry.key.key(), entry.value);
        }
      }
      for (Windowed<MetricId> key : doomed) {
        // A null value deletes the period, here and (as a tombstone) in the changelog.
        store.put(key.key(), null, key.window().start());
      }
      evicted.get(tier).increment(doomed.size());
      long reached = cutoff == Long.MAX_VALUE ? clockHorizon(tier) : cutoff;
      horizons.get(tier).accumulateAndGet(reached, Math::max);
      return freed;
    }

    private long clockHorizon(Tier tier) {
      return tier.windowStart(clock.millis()) + tier.millis();
    }
  }
}
