package dev.portico.metrics;

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
 * Watches the state directory against the disk budget: measures it every minute (off the event
 * loop), exports {@code portico_metrics_state_bytes} and {@code portico_metrics_disk_budget_bytes},
 * and logs a warning while over budget. The budget is kept by the tiers' retention, not by deleting
 * data here (see docs/metrics.md).
 */
final class StateDiskUsage {
  private static final Logger LOG = LoggerFactory.getLogger(StateDiskUsage.class);
  private static final long INTERVAL_MS = 60_000;

  private final Vertx vertx;
  private final Path dir;
  private final long budgetBytes;
  private final AtomicLong used = new AtomicLong();
  private long timer = -1;

  StateDiskUsage(Vertx vertx, Path dir, long budgetBytes, MeterRegistry registry) {
    this.vertx = vertx;
    this.dir = dir;
    this.budgetBytes = budgetBytes;
    Gauge.builder("portico.metrics.state.bytes", used, AtomicLong::get)
        .description("Bytes of local state (RocksDB) of metrics-service")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("portico.metrics.disk.budget.bytes", () -> budgetBytes)
        .description("PORTICO_METRICS_DISK_BUDGET_MB in bytes")
        .baseUnit("bytes")
        .register(registry);
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
    vertx
        .executeBlocking(this::sizeOfDir, false)
        .onSuccess(
            size -> {
              used.set(size);
              if (size > budgetBytes) {
                LOG.warn(
                    "metrics state uses {} bytes, over the {} byte budget"
                        + " (PORTICO_METRICS_DISK_BUDGET_MB): shorten the retentions",
                    size,
                    budgetBytes);
              }
            });
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
