package dev.portico.stream;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Change streams out: WebSocket channel fan-out, stream reading by iterators, and triggers.
 *
 * <p>So far the service runs its skeleton: it provisions the topics it will read, serves /health,
 * /ready and /metrics, and reports ready when Kafka is reachable. Its processing arrives with its
 * own issue.
 */
public final class StreamService extends ServiceBase {
  public StreamService(Vertx vertx, StreamConfig config) {
    super("stream-service", vertx, config.kafka(), config.http());
  }

  @Override
  protected Future<Void> startService() {
    return vertx.executeBlocking(
        () -> {
          TopicProvisioner.ensure(kafka, List.of(Topics.CUSTOMER_CHANGES));
          return null;
        });
  }

  @Override
  protected Future<Void> stopService() {
    return Future.succeededFuture();
  }
}
