package dev.portico.runtime;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "is Kafka reachable right now?" without blocking: an asynchronous cluster description
 * whose last outcome is kept. It runs when asked (a readiness probe) and the last outcome is older
 * than {@code maxAgeMs}, and otherwise every {@link #BACKGROUND_PERIOD_MS}: a request every 2 s
 * from each of five services was most of an idle suite's admin traffic, for answers nobody read.
 */
public final class KafkaReachability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);
  private static final int CHECK_TIMEOUT_MS = 2_000;

  /** How stale the answer may get while nobody asks. */
  static final long BACKGROUND_PERIOD_MS = 30_000;

  private final Vertx vertx;
  private final Admin admin;
  private final long maxAgeMs;
  private final long timerId;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final AtomicLong checks = new AtomicLong();
  private volatile long lastCheckStartedNanos;
  private volatile boolean reachable;

  public KafkaReachability(Vertx vertx, KafkaSettings kafka, String clientId, long maxAgeMs) {
    this.vertx = vertx;
    this.maxAgeMs = maxAgeMs;
    var props = kafka.clientProperties(clientId + "-health");
    props.put("request.timeout.ms", CHECK_TIMEOUT_MS);
    props.put("default.api.timeout.ms", CHECK_TIMEOUT_MS);
    this.admin = Admin.create(props);
    check();
    this.timerId = vertx.setPeriodic(BACKGROUND_PERIOD_MS, id -> checkIfOlderThan(maxAgeMs));
  }

  /** The last outcome; starts a fresh check if it is older than {@code maxAgeMs}. */
  public boolean isReachable() {
    checkIfOlderThan(maxAgeMs);
    return reachable;
  }

  /** Cluster descriptions sent so far. */
  long checks() {
    return checks.get();
  }

  private void checkIfOlderThan(long millis) {
    if (System.nanoTime() - lastCheckStartedNanos >= TimeUnit.MILLISECONDS.toNanos(millis)) {
      check();
    }
  }

  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return; // one in flight answers this caller too
    }
    lastCheckStartedNanos = System.nanoTime();
    checks.incrementAndGet();
    admin
        .describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS))
        .clusterId()
        .whenComplete(
            (id, error) -> {
              boolean now = error == null;
              if (now != reachable) {
                if (now) {
                  LOG.info("Kafka reachable (cluster {})", id);
                } else {
                  LOG.warn("Kafka unreachable: {}", error.getMessage());
                }
              }
              reachable = now;
              checking.set(false);
            });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timerId);
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
