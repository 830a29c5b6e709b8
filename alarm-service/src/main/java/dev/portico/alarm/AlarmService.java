package dev.portico.alarm;

import dev.portico.runtime.ServiceBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Threshold alarms with CloudWatch semantics, notification topics and email delivery.
 *
 * <p>So far the service runs its skeleton: it serves /health, /ready and /metrics, and reports
 * ready when Kafka is reachable. Its processing arrives with its own issue.
 */
public final class AlarmService extends ServiceBase {
  public AlarmService(Vertx vertx, AlarmConfig config) {
    super("alarm-service", vertx, config.kafka(), config.http());
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
