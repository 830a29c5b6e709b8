package dev.portico.edge.websocket;

import dev.portico.contracts.RequestEvent;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The WebSocket side of one edge replica, wired together: its connections, the gateway that opens
 * them, the {@code @connections} operations, and the two Kafka feeds every replica tails (channel
 * messages, connection commands).
 */
public final class WebSockets implements AutoCloseable {
  /**
   * Channel frames handed to the event loops and not yet written, at most (bytes, counted per
   * subscriber): beyond it the channel feed waits, and Kafka holds the backlog.
   */
  static final long MAX_QUEUED_FANOUT_BYTES = 64L * 1024 * 1024;

  private final LocalConnections connections = new LocalConnections();
  private final WebSocketMetrics metrics;
  private final WebSocketGateway gateway;
  private final Connections api;
  private final TailConsumer channelFeed;
  private final TailConsumer commandFeed;

  /** Blocking (subscribes to the feeds' partitions). */
  public WebSockets(
      Vertx vertx,
      KafkaSettings kafka,
      KafkaFunctionClient functions,
      String channelsTopic,
      String commandsTopic,
      int instance,
      IntPredicate liveReplica,
      WebSocketLimits limits,
      java.time.Duration keepAlive,
      MeterRegistry registry,
      Consumer<RequestEvent> requestEvents) {
    this.metrics = new WebSocketMetrics(registry, connections);
    this.gateway =
        new WebSocketGateway(
            vertx, functions, connections, limits, keepAlive, instance, metrics, requestEvents);
    this.api =
        new Connections(
            vertx,
            connections,
            functions,
            commandsTopic,
            instance,
            liveReplica,
            limits.maxMessageBytes(),
            metrics);
    ChannelFeed channels = new ChannelFeed(connections, metrics, MAX_QUEUED_FANOUT_BYTES);
    Gauge.builder("portico.edge.ws.fanout.queued.bytes", channels, ChannelFeed::queuedBytes)
        .description("Bytes of channel messages read from Kafka and not yet written to sockets")
        .register(registry);
    this.channelFeed =
        new TailConsumer(
            kafka, channelsTopic, "portico-edge-ws-channels-" + instance, channels::accept);
    ConnectionCommands commands =
        new ConnectionCommands(api, functions, vertx.getOrCreateContext());
    this.commandFeed =
        new TailConsumer(
            kafka, commandsTopic, "portico-edge-ws-commands-" + instance, commands::accept);
  }

  public void start() {
    gateway.start();
    channelFeed.start();
    commandFeed.start();
  }

  public WebSocketGateway gateway() {
    return gateway;
  }

  public Connections connections() {
    return api;
  }

  public WebSocketMetrics metrics() {
    return metrics;
  }

  public int open() {
    return connections.size();
  }

  /** The ids of this replica's connections. */
  public java.util.List<String> connectionIds() {
    return connections.all().stream().map(WsConnection::id).toList();
  }

  /** How many of this replica's connections subscribed to {@code channel}. */
  public int subscribers(String channel) {
    return connections.subscribers(channel).size();
  }

  /** Closes every socket (1001, Going away); their {@code $disconnect} events still go out. */
  public void closeSockets() {
    gateway.stop();
  }

  /** Blocking: stops the Kafka feeds. */
  @Override
  public void close() {
    channelFeed.close();
    commandFeed.close();
  }
}
