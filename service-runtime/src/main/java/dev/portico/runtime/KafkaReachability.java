package dev.portico.runtime;

import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "is Kafka reachable right now?" without blocking: a periodic, asynchronous cluster
 * description whose last outcome is kept.
 */
public final class KafkaReachability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);
  private static final int CHECK_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Admin admin;
  private final long timerId;
  private volatile boolean reachable;

  public KafkaReachability(Vertx vertx, KafkaSettings kafka, String clientId, long periodMs) {
    this.vertx = vertx;
    var props = kafka.clientProperties(clientId + "-health");
    props.put("request.timeout.ms", CHECK_TIMEOUT_MS);
    props.put("default.api.timeout.ms", CHECK_TIMEOUT_MS);
    this.admin = Admin.create(props);
    check();
    this.timerId = vertx.setPeriodic(periodMs, id -> check());
  }

  public boolean isReachable() {
    return reachable;
  }

  private void check() {
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
            });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timerId);
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
