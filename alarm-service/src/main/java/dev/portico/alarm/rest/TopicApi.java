package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.notify.Tokens;
import dev.portico.alarm.streams.TopicNames;
import dev.portico.alarm.view.TopicsView;
import dev.portico.contracts.Json;
import dev.portico.contracts.Notification;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Subscription;
import dev.portico.contracts.alarms.TopicCommand;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * The notification-topics API (SNS's operations over JSON): CreateTopic, ListTopics, DeleteTopic,
 * Subscribe, ListSubscriptions, Unsubscribe, Publish; and the confirmation and unsubscribe links
 * messages carry.
 */
public final class TopicApi {
  /** SNS's limit: 256 KB of UTF-8. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;

  /** SNS subjects: fewer than 100 characters. */
  static final int MAX_SUBJECT = 99;

  static final int MAX_DISPLAY_NAME = 100;

  static final Set<String> PROTOCOLS = Set.of("email", "email-json", "http", "https");

  private final CommandBus bus;
  private final TopicNames names;
  private final TopicsView topics;
  private final Clock clock;

  public TopicApi(CommandBus bus, TopicNames names, TopicsView topics, Clock clock) {
    this.bus = bus;
    this.names = names;
    this.topics = topics;
    this.clock = clock;
  }

  public void routes(Router router) {
    router.put("/topics/:topic").handler(ctx -> Replies.handle(ctx, () -> create(ctx)));
    router.get("/topics").handler(ctx -> Replies.handle(ctx, () -> list(ctx)));
    router.get("/topics/:topic").handler(ctx -> Replies.handle(ctx, () -> get(ctx)));
    router.delete("/topics/:topic").handler(ctx -> Replies.handle(ctx, () -> delete(ctx)));
    router
        .post("/topics/:topic/subscriptions")
        .handler(ctx -> Replies.handle(ctx, () -> subscribe(ctx)));
    router
        .get("/topics/:topic/subscriptions")
        .handler(ctx -> Replies.handle(ctx, () -> subscriptionsOf(ctx)));
    router.post("/topics/:topic/messages").handler(ctx -> Replies.handle(ctx, () -> publish(ctx)));
    router.get("/subscriptions").handler(ctx -> Replies.handle(ctx, () -> allSubscriptions(ctx)));
    router.get("/subscriptions/:id").handler(ctx -> Replies.handle(ctx, () -> subscription(ctx)));
    router
        .delete("/subscriptions/:id")
        .handler(ctx -> Replies.handle(ctx, () -> unsubscribe(ctx, null)));
    router
        .get("/subscriptions/:id/confirm")
        .handler(ctx -> Replies.handle(ctx, () -> confirm(ctx)));
    router
        .get("/subscriptions/:id/unsubscribe")
        .handler(ctx -> Replies.handle(ctx, () -> unsubscribe(ctx, token(ctx))));
  }

  private static String topicName(RoutingContext ctx) {
    String name = ctx.pathParam("topic");
    String problem = Names.topicNameProblem("The topic name", name);
    if (problem != null) {
      throw new ApiError(400, problem);
    }
    return name;
  }

  private NotificationTopic existing(String name) {
    NotificationTopic topic = topics.get(name);
    if (topic == null) {
      throw ApiError.notFound("Topic \"" + name + "\" does not exist");
    }
    return topic;
  }

  private Future<?> create(RoutingContext ctx) {
    String name = topicName(ctx);
    Problems problems = new Problems();
    Body body = Body.parse(ctx.body().buffer(), Set.of("DisplayName"), problems, true);
    String displayName = body.string("DisplayName", false, 0, MAX_DISPLAY_NAME);
    problems.throwIfAny();
    boolean created = topics.get(name) == null;
    return command(
            new TopicCommand(
                TopicCommand.CREATE, name, displayName, null, null, null, null, clock.millis()))
        .onSuccess(v -> Replies.json(ctx, created ? 201 : 200, TopicJson.topic(existing(name))));
  }

  private Future<?> list(RoutingContext ctx) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("Topics");
    topics.all().forEach(t -> list.add(TopicJson.topic(t)));
    Replies.json(ctx, 200, out);
    return null;
  }

  private Future<?> get(RoutingContext ctx) {
    Replies.json(ctx, 200, TopicJson.topic(existing(topicName(ctx))));
    return null;
  }

  /** Idempotent, like SNS: deleting a topic that does not exist succeeds. */
  private Future<?> delete(RoutingContext ctx) {
    String name = topicName(ctx);
    if (topics.get(name) == null) {
      Replies.noContent(ctx);
      return null;
    }
    return command(
            new TopicCommand(
                TopicCommand.DELETE, name, null, null, null, null, null, clock.millis()))
        .onSuccess(v -> Replies.noContent(ctx));
  }

  private Future<?> subscribe(RoutingContext ctx) {
    String name = topicName(ctx);
    Problems problems = new Problems();
    Body body = Body.parse(ctx.body().buffer(), Set.of("Protocol", "Endpoint"), problems, false);
    String protocol = body.string("Protocol", true, 1, 16);
    String endpoint = body.string("Endpoint", true, 1, 2048);
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      problems.add("Protocol must be email, email-json, http or https");
    } else if (protocol != null && endpoint != null) {
      checkEndpoint(protocol, endpoint, problems);
    }
    problems.throwIfAny();
    NotificationTopic topic = existing(name);
    boolean alreadyConfirmed =
        topic.subscription(protocol, endpoint).map(Subscription::confirmed).orElse(false);
    String id = UUID.randomUUID().toString();
    return command(
            new TopicCommand(
                TopicCommand.SUBSCRIBE,
                name,
                null,
                id,
                protocol,
                endpoint,
                Tokens.create(),
                clock.millis()))
        .onSuccess(
            v -> {
              Subscription sub =
                  existing(name)
                      .subscription(protocol, endpoint)
                      .orElseThrow(
                          () -> new ApiError(409, "The subscription was removed meanwhile"));
              Replies.json(ctx, alreadyConfirmed ? 200 : 201, TopicJson.subscription(name, sub));
            });
  }

  private static void checkEndpoint(String protocol, String endpoint, Problems problems) {
    if (protocol.startsWith("email")) {
      try {
        InternetAddress address = new InternetAddress(endpoint, true);
        if (address.getPersonal() != null || !endpoint.equals(address.getAddress())) {
          problems.add("Endpoint must be a bare email address such as ops@example.com");
        }
      } catch (AddressException e) {
        problems.add("Endpoint must be an email address: " + e.getMessage());
      }
      return;
    }
    try {
      URI uri = new URI(endpoint);
      if (!protocol.equals(uri.getScheme()) || uri.getHost() == null) {
        problems.add("Endpoint must be an absolute " + protocol + ":// URL");
      }
    } catch (Exception e) {
      problems.add("Endpoint must be an absolute " + protocol + ":// URL");
    }
  }

  private Future<?> subscriptionsOf(RoutingContext ctx) {
    NotificationTopic topic = existing(topicName(ctx));
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("Subscriptions");
    topic.subscriptions().forEach(s -> list.add(TopicJson.subscription(topic.name(), s)));
    Replies.json(ctx, 200, out);
    return null;
  }

  private Future<?> allSubscriptions(RoutingContext ctx) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("Subscriptions");
    for (NotificationTopic t : topics.all()) {
      t.subscriptions().forEach(s -> list.add(TopicJson.subscription(t.name(), s)));
    }
    Replies.json(ctx, 200, out);
    return null;
  }

  private Future<?> subscription(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    NotificationTopic topic =
        topics.topicOf(id).orElseThrow(() -> ApiError.notFound("Subscription not found"));
    Subscription sub =
        topic.subscription(id).orElseThrow(() -> ApiError.notFound("Subscription not found"));
    Replies.json(ctx, 200, TopicJson.subscription(topic.name(), sub));
    return null;
  }

  private static String token(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    if (token == null || token.isEmpty() || token.length() > 128) {
      throw new ApiError(400, "The link has no valid token");
    }
    return token;
  }

  private Future<?> confirm(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String token = token(ctx);
    NotificationTopic topic =
        topics
            .topicOf(id)
            .orElseThrow(
                () -> ApiError.notFound("Subscription not found (unsubscribed, or topic deleted)"));
    return command(
            new TopicCommand(
                TopicCommand.CONFIRM, topic.name(), null, id, null, null, token, clock.millis()))
        .onSuccess(
            v ->
                Replies.json(
                    ctx,
                    200,
                    Replies.message(
                            "Subscription confirmed: you will receive messages published to topic "
                                + topic.name())
                        .put("SubscriptionId", id)
                        .put("Topic", topic.name())));
  }

  /** Unsubscribe: through the API (no token) or a message's link (its token). */
  private Future<?> unsubscribe(RoutingContext ctx, String token) {
    String id = ctx.pathParam("id");
    NotificationTopic topic =
        topics.topicOf(id).orElseThrow(() -> ApiError.notFound("Subscription not found"));
    return command(
            new TopicCommand(
                TopicCommand.UNSUBSCRIBE,
                topic.name(),
                null,
                id,
                null,
                null,
                token,
                clock.millis()))
        .onSuccess(
            v -> {
              if (token == null) {
                Replies.noContent(ctx);
              } else {
                Replies.json(
                    ctx,
                    200,
                    Replies.message("You have been unsubscribed from topic " + topic.name())
                        .put("SubscriptionId", id)
                        .put("Topic", topic.name()));
              }
            });
  }

  private Future<?> publish(RoutingContext ctx) {
    String name = topicName(ctx);
    Problems problems = new Problems();
    Body body = Body.parse(ctx.body().buffer(), Set.of("Subject", "Message"), problems, false);
    String subject = body.string("Subject", false, 1, MAX_SUBJECT);
    String message = null;
    var raw = body.raw("Message");
    if (raw == null || raw.isNull()) {
      problems.add("Message is required");
    } else if (!raw.isTextual()) {
      problems.add("Message must be a string");
    } else {
      message = raw.asText();
      int bytes = message.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0) {
        problems.add("Message must not be empty");
      } else if (bytes > MAX_MESSAGE_BYTES) {
        problems.add(
            "Message must be at most 262144 bytes (256 KB) of UTF-8 (got " + bytes + " bytes)");
      }
    }
    problems.throwIfAny();
    existing(name);
    String messageId = UUID.randomUUID().toString();
    Notification n =
        new Notification(messageId, name, subject, message, null, null, clock.millis());
    return bus.publish(Topics.NOTIFICATION_MESSAGES.named(names.messages()), name, n)
        .onSuccess(
            v ->
                Replies.json(ctx, 200, Json.MAPPER.createObjectNode().put("MessageId", messageId)));
  }

  private Future<Void> command(TopicCommand command) {
    return bus.command(
            Topics.NOTIFICATION_COMMANDS.named(names.topicCommands()), command.topicName(), command)
        .compose(Replies::applied);
  }
}
