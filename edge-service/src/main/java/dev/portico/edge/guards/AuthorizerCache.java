package dev.portico.edge.guards;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Authorizer functions' verdicts by identity: an entry lives for its authorizer's result TTL, then
 * the function is asked again. Shared by the event loops. Bounded: when full, expired entries are
 * swept, and if none had expired an arbitrary one makes room (a verdict asked again costs one call,
 * an unbounded cache could cost the heap).
 */
final class AuthorizerCache {
  private record Entry(AuthorizerVerdict verdict, long expiresAtMillis) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final LongSupplier clockMillis;

  AuthorizerCache(int maxEntries, LongSupplier clockMillis) {
    this.maxEntries = maxEntries;
    this.clockMillis = clockMillis;
  }

  /** The verdict cached for {@code key} and not yet expired, else {@code null}. */
  AuthorizerVerdict get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (clockMillis.getAsLong() >= entry.expiresAtMillis()) {
      entries.remove(key, entry);
      return null;
    }
    return entry.verdict();
  }

  void put(String key, AuthorizerVerdict verdict, long ttlMillis) {
    if (entries.size() >= maxEntries && !entries.containsKey(key)) {
      makeRoom();
    }
    entries.put(key, new Entry(verdict, clockMillis.getAsLong() + ttlMillis));
  }

  int size() {
    return entries.size();
  }

  private void makeRoom() {
    long now = clockMillis.getAsLong();
    entries.values().removeIf(e -> now >= e.expiresAtMillis());
    Iterator<String> keys = entries.keySet().iterator();
    while (entries.size() >= maxEntries && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
