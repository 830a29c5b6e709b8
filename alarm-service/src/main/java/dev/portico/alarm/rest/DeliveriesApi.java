package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.view.DeliveriesView;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.Delivery;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The outbox ({@code GET /deliveries}): every message to every subscription with its delivery
 * state, newest first. In local mode (no SMTP server) this is where email is kept and read.
 */
public final class DeliveriesApi {
  private final DeliveriesView deliveries;

  public DeliveriesApi(DeliveriesView deliveries) {
    this.deliveries = deliveries;
  }

  public void routes(Router router) {
    router.get("/deliveries").handler(ctx -> Replies.handle(ctx, () -> listDeliveries(ctx)));
  }

  private Future<?> listDeliveries(RoutingContext ctx) {
    Query q =
        new Query(ctx, Set.of("Status", "Topic", "SubscriptionId", "MessageId", "MaxRecords"));
    String status = q.string("Status");
    String topic = q.string("Topic");
    String subscription = q.string("SubscriptionId");
    String messageId = q.string("MessageId");
    int max = q.integer("MaxRecords", 100, 1, 1000);
    q.problems().throwIfAny();
    Predicate<Delivery> filter =
        d ->
            (status == null || status.equals(d.status()))
                && (topic == null || topic.equals(d.topicName()))
                && (subscription == null || subscription.equals(d.subscriptionId()))
                && (messageId == null || messageId.equals(d.messageId()));
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("Deliveries");
    for (Delivery d : deliveries.query(filter, max)) {
      list.add(TopicJson.delivery(d));
    }
    Replies.json(ctx, 200, out);
    return null;
  }
}
