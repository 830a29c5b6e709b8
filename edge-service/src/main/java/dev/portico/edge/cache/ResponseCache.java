package dev.portico.edge.cache;

import dev.portico.contracts.FunctionResponse;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One stage's response cache: entries up to 1 MB, a bound on the bytes of all bodies with least
 * recently used eviction, a lifetime per entry. Thread-safe (the data plane runs several event
 * loops); a single lock is fine for a structure touched for microseconds per request.
 */
public final class ResponseCache {
  public static final int MAX_ENTRY_BYTES = 1024 * 1024;

  private final long maxBytes;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  record Entry(FunctionResponse response, long size, long storedAt, long expiresAt) {}

  public ResponseCache(long maxBytes, LongSupplier clockMillis) {
    this.maxBytes = maxBytes;
    this.clock = clockMillis;
  }

  /** The cached response, unless absent, expired or stored before {@code flushedAt}. */
  public synchronized FunctionResponse get(String key, long flushedAt) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (entry.expiresAt() <= clock.getAsLong() || entry.storedAt() < flushedAt) {
      remove(key);
      return null;
    }
    return entry.response();
  }

  /** Stores a response for {@code ttlSeconds}; one over 1 MB is not cached. */
  public synchronized void put(String key, FunctionResponse response, int ttlSeconds) {
    long size = size(response);
    if (size > MAX_ENTRY_BYTES || ttlSeconds <= 0 || size > maxBytes) {
      return;
    }
    remove(key);
    long now = clock.getAsLong();
    entries.put(key, new Entry(response, size, now, now + ttlSeconds * 1000L));
    bytes += size;
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      bytes -= oldest.next().getValue().size();
      oldest.remove();
    }
  }

  public synchronized void invalidate(String key) {
    remove(key);
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return entries.size();
  }

  private void remove(String key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.size();
    }
  }

  private static long size(FunctionResponse response) {
    long size = response.body() == null ? 0 : response.body().length();
    if (response.headers() != null) {
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        size += h.getKey().length() + h.getValue().length();
      }
    }
    return size;
  }
}
