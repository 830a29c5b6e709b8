package dev.portico.edge.websocket;

import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.request.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The {@code @connections} operations (send, describe, close), whichever replica holds the
 * connection: this replica's own connections are served directly; another live replica's are sent
 * to it as a {@link ConnectionCommand} on {@code ws.commands}, and its answer comes back on this
 * replica's reply partition. Answers as API Gateway: 200 (POST, GET), 204 (DELETE), 410 {@code
 * {"message":"Gone"}} for an unknown or closed connection (or one of a replica that is gone), 413
 * for data over the message limit, 429 when the client's outbound buffer is full.
 */
public final class Connections {
  static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
  private final Vertx vertx;
  private final LocalConnections local;
  private final KafkaFunctionClient functions;
  private final String commandsTopic;
  private final int instance;
  private final IntPredicate liveReplica;
  private final int maxMessageBytes;
  private final WebSocketMetrics metrics;

  /**
   * @param liveReplica whether the edge replica with that instance number is alive
   */
  public Connections(
      Vertx vertx,
      LocalConnections local,
      KafkaFunctionClient functions,
      String commandsTopic,
      int instance,
      IntPredicate liveReplica,
      int maxMessageBytes,
      WebSocketMetrics metrics) {
    this.vertx = vertx;
    this.local = local;
    this.functions = functions;
    this.commandsTopic = commandsTopic;
    this.instance = instance;
    this.liveReplica = liveReplica;
    this.maxMessageBytes = maxMessageBytes;
    this.metrics = metrics;
  }

  /** Runs {@code command} wherever its connection is. Call on a Vert.x context. */
  public Future<FunctionResponse> execute(ConnectionCommand command) {
    FunctionResponse invalid = validate(command);
    if (invalid != null) {
      return Future.succeededFuture(invalid);
    }
    int owner = ConnectionIds.owner(command.connectionId());
    if (owner == instance) {
      return local(command);
    }
    if (owner < 0 || !liveReplica.test(owner)) {
      return Future.succeededFuture(GONE);
    }
    return functions
        .invoke(commandsTopic, command.connectionId(), command, RequestIds.next(), FORWARD_TIMEOUT)
        .recover(
            e ->
                e instanceof IntegrationException
                    ? Future.succeededFuture(
                        json(
                            504,
                            "The replica holding the connection did not answer: " + e.getMessage()))
                    : Future.failedFuture(e));
  }

  /** Whether this replica holds the connection (it then acts on a command from Kafka). */
  boolean holds(String connectionId) {
    return ConnectionIds.owner(connectionId) == instance;
  }

  /** Runs {@code command} on a connection of this replica. */
  Future<FunctionResponse> local(ConnectionCommand command) {
    FunctionResponse invalid = validate(command);
    if (invalid != null) {
      return Future.succeededFuture(invalid);
    }
    WsConnection c = local.get(command.connectionId());
    if (c == null) {
      return Future.succeededFuture(GONE);
    }
    Context caller = vertx.getOrCreateContext();
    Promise<FunctionResponse> answer = Promise.promise();
    c.context.runOnContext(
        v -> {
          FunctionResponse result = onLoop(c, command);
          caller.runOnContext(x -> answer.complete(result));
        });
    return answer.future();
  }

  private FunctionResponse onLoop(WsConnection c, ConnectionCommand command) {
    if (c.socket.isClosed()) {
      return GONE;
    }
    return switch (command.action()) {
      case ConnectionCommand.GET ->
          json(
              200,
              new JsonObject()
                  .put("connectedAt", WsConnection.isoMillis(c.connectedAt))
                  .put("lastActiveAt", WsConnection.isoMillis(c.lastActiveAt))
                  .put(
                      "identity",
                      new JsonObject().put("sourceIp", c.sourceIp).put("userAgent", c.userAgent))
                  .put("connectionId", c.id)
                  .put(
                      "channels",
                      new io.vertx.core.json.JsonArray(c.channels.stream().sorted().toList()))
                  .encode(),
              true);
      case ConnectionCommand.DELETE -> {
        c.close((short) 1000, "Closed by the backend");
        yield new FunctionResponse(204, Map.of(), null, false);
      }
      default -> send(c, command);
    };
  }

  private FunctionResponse send(WsConnection c, ConnectionCommand command) {
    WsConnection.Sent sent =
        command.isBase64Encoded()
            ? c.sendBinary(Buffer.buffer(Base64.getDecoder().decode(command.data())))
            : c.sendText(command.data());
    return switch (sent) {
      case OK -> {
        metrics.count(WebSocketMetrics.MESSAGE_COUNT, c.release.apiName(), c.release.stage());
        yield new FunctionResponse(200, Map.of(), null, false);
      }
      case BUFFER_FULL -> json(429, "Too many requests: the client's outbound buffer is full");
      case CLOSED -> GONE;
    };
  }

  /** 400 or 413 for a command that can never succeed, else {@code null}. */
  private FunctionResponse validate(ConnectionCommand command) {
    if (command.action() == null
        || !java.util.Set.of(
                ConnectionCommand.POST, ConnectionCommand.GET, ConnectionCommand.DELETE)
            .contains(command.action())) {
      return json(400, "action: POST, GET or DELETE");
    }
    if (!command.action().equals(ConnectionCommand.POST)) {
      return null;
    }
    if (command.data() == null) {
      return json(400, "data: required to POST to a connection");
    }
    long bytes;
    if (command.isBase64Encoded()) {
      try {
        bytes = Base64.getDecoder().decode(command.data()).length;
      } catch (IllegalArgumentException e) {
        return json(400, "data: not base64");
      }
    } else {
      bytes = command.data().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > maxMessageBytes) {
      return json(
          413, "Payload too large: " + bytes + " bytes, at most " + maxMessageBytes + " bytes");
    }
    return null;
  }

  static final FunctionResponse GONE = json(410, "Gone");

  private static FunctionResponse json(int status, String message) {
    return json(status, new JsonObject().put("message", message).encode(), true);
  }

  private static FunctionResponse json(int status, String body, boolean isJson) {
    return new FunctionResponse(
        status, isJson ? Map.of("content-type", "application/json") : Map.of(), body, false);
  }
}
