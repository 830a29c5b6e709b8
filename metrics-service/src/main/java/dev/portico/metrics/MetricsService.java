package dev.portico.metrics;

import dev.portico.runtime.ServiceBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * CloudWatch-style statistics from gateway request events and custom metrics; query API;
 * Prometheus.
 *
 * <p>So far the service runs its skeleton: it serves /health, /ready and /metrics, and reports
 * ready when Kafka is reachable. Its processing arrives with its own issue.
 */
public final class MetricsService extends ServiceBase {
  public MetricsService(Vertx vertx, MetricsConfig config) {
    super("metrics-service", vertx, config.kafka(), config.http());
  }

  @Override
  protected Future<Void> startService() {
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> stopService() {
    return Future.succeededFuture();
  }
}
