package dev.portico.edge.plans;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds at most {@code capacity} tokens, refilled continuously at {@code rate} per
 * second; a request takes one. Thread-safe (event loops share buckets).
 */
public final class TokenBucket {
  private final double rate;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public TokenBucket(double rate, double capacity, LongSupplier nanoClock) {
    this.rate = rate;
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.last = nanoClock.getAsLong();
  }

  public synchronized boolean tryAcquire() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Gives back a token taken for a request that a later limit refused. */
  synchronized void release() {
    tokens = Math.min(capacity, tokens + 1);
  }

  synchronized long remaining() {
    refill();
    return (long) Math.floor(tokens);
  }

  /** Seconds until a token is available (0 when one is). */
  synchronized double secondsUntilToken() {
    refill();
    return tokens >= 1 ? 0 : rate <= 0 ? Double.POSITIVE_INFINITY : (1 - tokens) / rate;
  }

  /** Whether the bucket is full: then it behaves like a new one and may be forgotten. */
  synchronized boolean isFull() {
    refill();
    return tokens >= capacity;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
    last = now;
  }
}
