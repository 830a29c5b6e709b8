package dev.portico.edge.integration;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The requests that timed out lately, each with what to do if its reply still comes. Bounded in
 * time ({@link #WINDOW}) and size ({@link #CAPACITY}, the oldest forgotten first), so a function
 * that never answers cannot grow it; a reply later than that is only counted globally. Safe across
 * threads: event loops watch, the reply listener claims.
 */
final class TimedOutCalls {
  /** How long after its timeout a reply still counts for its function. */
  static final Duration WINDOW = Duration.ofMinutes(10);

  static final int CAPACITY = 10_000;

  private record Watched(String correlationId, long sinceNanos) {}

  private final LongSupplier nanoClock;
  private final Map<String, Runnable> actions = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Watched> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();

  TimedOutCalls(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  void watch(String correlationId, Runnable onLateReply) {
    long now = nanoClock.getAsLong();
    actions.put(correlationId, onLateReply);
    order.add(new Watched(correlationId, now));
    queued.incrementAndGet();
    forgetOld(now);
  }

  /** The action of a timed-out request, once: {@code null} if unknown, claimed or forgotten. */
  Runnable claim(String correlationId) {
    return actions.remove(correlationId);
  }

  int size() {
    return actions.size();
  }

  private void forgetOld(long now) {
    Watched head;
    while ((head = order.peek()) != null
        && (queued.get() > CAPACITY || now - head.sinceNanos() > WINDOW.toNanos())) {
      Watched oldest = order.poll();
      if (oldest != null) {
        queued.decrementAndGet();
        actions.remove(oldest.correlationId());
      }
    }
  }
}
