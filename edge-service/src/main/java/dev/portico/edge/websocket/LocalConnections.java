package dev.portico.edge.websocket;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections this replica holds, by id and by the channels they subscribed to. Thread-safe:
 * event loops add and remove, the Kafka feed threads look up.
 */
public final class LocalConnections {
  private final Map<String, WsConnection> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<WsConnection>> byChannel = new ConcurrentHashMap<>();

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
    byChannel.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(connection);
  }

  void unsubscribe(WsConnection connection, String channel) {
    connection.channels.remove(channel);
    byChannel.computeIfPresent(
        channel,
        (c, subscribers) -> {
          subscribers.remove(connection);
          return subscribers.isEmpty() ? null : subscribers;
        });
  }

  /** The channel's subscribers on this replica (a snapshot). */
  List<WsConnection> subscribers(String channel) {
    Set<WsConnection> subscribers = byChannel.get(channel);
    return subscribers == null ? List.of() : List.copyOf(subscribers);
  }
}
