package dev.portico.metrics;

import dev.portico.metrics.aggregation.BudgetEnforcer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state directory within the disk budget: measures it every minute (off the event loop),
 * exports {@code portico_metrics_state_bytes} and {@code portico_metrics_disk_budget_bytes}, and
 * while it is over budget asks the {@link BudgetEnforcer} to delete the share of the stored
 * aggregates that brings it back to 90% of the budget (oldest and finest first; the stream threads
 * delete, see docs/metrics.md "Retention and disk budget").
 *
 * <p>The measure is the files, what the budget is about. RocksDB frees the space of deleted entries
 * only when it compacts the files holding them (at the latest when the window segment expires), so
 * a measure taken right after an eviction still counts the deleted bytes: the bytes the enforcer
 * deleted are taken off the measure until the files have shrunk by as much ({@code unreclaimed}),
 * so that one excess is not evicted twice.
 */
final class StateDiskUsage {
  private static final Logger LOG = LoggerFactory.getLogger(StateDiskUsage.class);
  private static final long INTERVAL_MS = 60_000;

  /** Hysteresis: an eviction brings the state down to this share of the budget. */
  static final double TARGET = 0.9;

  private final Vertx vertx;
  private final Path dir;
  private final AtomicLong budgetBytes;
  private final AtomicLong used = new AtomicLong();
  private final BudgetEnforcer enforcer;
  private long timer = -1;
  // Touched by one measurement at a time (checks are sequential, on worker threads).
  private long unreclaimed;
  private long lastUsed = -1;
  private long lastEvicted;

  StateDiskUsage(Vertx vertx, Path dir, long budgetBytes, MeterRegistry registry) {
    this.vertx = vertx;
    this.dir = dir;
    this.budgetBytes = new AtomicLong(budgetBytes);
    this.enforcer = new BudgetEnforcer(registry);
    Gauge.builder("portico.metrics.state.bytes", used, AtomicLong::get)
        .description("Bytes of local state (RocksDB) of metrics-service")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("portico.metrics.disk.budget.bytes", this.budgetBytes, AtomicLong::get)
        .description("PORTICO_METRICS_DISK_BUDGET_MB in bytes")
        .baseUnit("bytes")
        .register(registry);
  }

  /** What the stream threads' punctuators evict with (passed to them in the Streams config). */
  BudgetEnforcer enforcer() {
    return enforcer;
  }

  /** For tests: a budget of this many bytes from now on. */
  void budget(long bytes) {
    budgetBytes.set(bytes);
  }

  void start() {
    measure();
    timer = vertx.setPeriodic(INTERVAL_MS, id -> measure());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void measure() {
    check();
  }

  /** Measures now and, when over budget, asks for an eviction; the future has the measure. */
  io.vertx.core.Future<Long> check() {
    return vertx.executeBlocking(
        () -> {
          long size = sizeOfDir();
          used.set(size);
          enforce(size);
          return size;
        },
        false);
  }

  private synchronized void enforce(long size) {
    long evicted = enforcer.evictedBytes();
    unreclaimed += evicted - lastEvicted;
    if (lastUsed >= 0 && size < lastUsed) {
      unreclaimed = Math.max(0, unreclaimed - (lastUsed - size));
    }
    lastEvicted = evicted;
    lastUsed = size;
    long effective = Math.max(0, size - unreclaimed);
    long budget = budgetBytes.get();
    if (effective > budget) {
      double share = 1 - TARGET * budget / effective;
      LOG.warn(
          "metrics state uses {} bytes ({} not yet reclaimed from earlier evictions), over the {}"
              + " byte budget (PORTICO_METRICS_DISK_BUDGET_MB): deleting the oldest {}% of the"
              + " stored aggregates, finest resolution first",
          size, size - effective, budget, Math.round(share * 100));
      enforcer.request(share);
    }
  }

  private long sizeOfDir() {
    if (!Files.isDirectory(dir)) {
      return 0L;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  return 0; // deleted while walking (RocksDB compaction)
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return used.get();
    }
  }
}
