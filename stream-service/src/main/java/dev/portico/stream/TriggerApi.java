package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portico.contracts.Json;
import dev.portico.runtime.RawBodyHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT/GET/DELETE /triggers/{name}} and {@code GET /triggers}. A put validates the whole rule
 * (400 naming the field) and answers once Kafka has stored it.
 */
final class TriggerApi {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerApi.class);

  private final Vertx vertx;
  private final TriggerRegistry registry;

  TriggerApi(Vertx vertx, TriggerRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  void mount(Router router) {
    router.get("/triggers").handler(this::list);
    router.put("/triggers/:name").handler(RawBodyHandler.create(256 * 1024));
    router.put("/triggers/:name").handler(this::put);
    router.get("/triggers/:name").handler(this::get);
    router.delete("/triggers/:name").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    ArrayNode triggers = Json.MAPPER.createArrayNode();
    registry.all().stream()
        .sorted(Comparator.comparing(TriggerRule::name))
        .forEach(r -> triggers.add(r.toJson()));
    json(ctx, 200, Json.MAPPER.createObjectNode().set("triggers", triggers));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registry
        .get(name)
        .ifPresentOrElse(
            rule -> json(ctx, 200, rule.toJson()), () -> StreamApi.fail(ctx, missing(name)));
  }

  private void put(RoutingContext ctx) {
    TriggerRule rule;
    try {
      var raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        throw StreamError.validation("Body required: {on, filter?, action: {publish: {...}}}");
      }
      JsonNode body;
      try {
        body = Json.MAPPER.readTree(raw.getBytes());
      } catch (Exception e) {
        throw StreamError.validation("Body is not valid JSON");
      }
      rule = TriggerRule.parse(ctx.pathParam("name"), body);
    } catch (StreamError e) {
      StreamApi.fail(ctx, e);
      return;
    }
    blocking(
        ctx,
        () -> {
          registry.put(rule);
          return rule.toJson();
        },
        200);
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (registry.get(name).isEmpty()) {
      StreamApi.fail(ctx, missing(name));
      return;
    }
    blocking(
        ctx,
        () -> {
          registry.delete(name);
          return null;
        },
        204);
  }

  private static StreamError missing(String name) {
    return new StreamError(404, "ResourceNotFoundException", "Trigger " + name + " not found");
  }

  private void blocking(RoutingContext ctx, Callable<JsonNode> work, int status) {
    vertx
        .executeBlocking(work, false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                if (done.result() == null) {
                  ctx.response().setStatusCode(status).end();
                } else {
                  json(ctx, status, done.result());
                }
              } else if (done.cause() instanceof StreamError e) {
                StreamApi.fail(ctx, e);
              } else {
                LOG.error("Trigger request failed", done.cause());
                StreamApi.fail(
                    ctx, new StreamError(500, "InternalServerError", "Internal server error"));
              }
            });
  }

  private static void json(RoutingContext ctx, int status, JsonNode body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Json.toString(body));
  }
}
