package dev.portico.edge.websocket;

import io.vertx.core.Context;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections this replica holds, by id and by the channels they subscribed to. Thread-safe:
 * event loops add and remove, the Kafka feed threads look up.
 */
public final class LocalConnections {
  private final Map<String, WsConnection> byId = new ConcurrentHashMap<>();

  /** Channel -> the subscribers' event loops -> subscribers: the feed hands each loop its own. */
  private final Map<String, Map<Context, Set<WsConnection>>> byChannel = new ConcurrentHashMap<>();

  void add(WsConnection connection) {
    byId.put(connection.id, connection);
  }

  /** Forgets the connection and its subscriptions (when its socket has closed). */
  void remove(WsConnection connection) {
    detach(connection);
  }

  /**
   * Takes a connection that is being closed off every channel and out of the registry now, before
   * its close completes; {@code false} when it was already detached.
   */
  boolean detach(WsConnection connection) {
    boolean present = byId.remove(connection.id, connection);
    if (present) {
      for (String channel : connection.channels) {
        unsubscribe(connection, channel);
      }
    }
    return present;
  }

  WsConnection get(String id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  Collection<WsConnection> all() {
    return byId.values();
  }

  void subscribe(WsConnection connection, String channel) {
    connection.channels.add(channel);
    byChannel.compute(
        channel,
        (c, loops) -> {
          Map<Context, Set<WsConnection>> map = loops == null ? new ConcurrentHashMap<>() : loops;
          map.computeIfAbsent(connection.context, k -> ConcurrentHashMap.newKeySet())
              .add(connection);
          return map;
        });
  }

  void unsubscribe(WsConnection connection, String channel) {
    connection.channels.remove(channel);
    byChannel.computeIfPresent(
        channel,
        (c, loops) -> {
          loops.computeIfPresent(
              connection.context,
              (k, subscribers) -> {
                subscribers.remove(connection);
                return subscribers.isEmpty() ? null : subscribers;
              });
          return loops.isEmpty() ? null : loops;
        });
  }

  /**
   * The channel's subscribers on this replica by event loop: live sets, not copies (iterating one
   * sees a subscriber that joins or leaves meanwhile, or not, which is as good).
   */
  Map<Context, Set<WsConnection>> subscribersByLoop(String channel) {
    Map<Context, Set<WsConnection>> loops = byChannel.get(channel);
    return loops == null ? Map.of() : loops;
  }

  /** How many connections of this replica subscribe to {@code channel}. */
  int subscriberCount(String channel) {
    return subscribersByLoop(channel).values().stream().mapToInt(Set::size).sum();
  }
}
