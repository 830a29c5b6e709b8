package dev.portico.edge.plans;

import dev.portico.contracts.edge.ThrottleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Token buckets by name, checked in order: the first limit that has no token refuses the request,
 * and tokens already taken from the limits before it are given back.
 *
 * <p>Cluster-wide limits: each replica runs every bucket at its share of the limit ({@code rate x
 * share}, {@code burst x share}, at least one token), the share being 1 / the number of live edge
 * replicas. With requests spread evenly over the replicas (a round-robin load balancer) the cluster
 * admits the configured rate; with skewed traffic it admits less, never more.
 */
public final class Throttler {
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final DoubleSupplier share;
  private final LongSupplier nanoClock;

  /**
   * @param share this replica's share of every limit (1 / live replicas)
   */
  public Throttler(DoubleSupplier share, LongSupplier nanoClock) {
    this.share = share;
    this.nanoClock = nanoClock;
  }

  /** One limit to check: a bucket name (scope) and its settings. */
  public record Limit(String scope, ThrottleSettings settings) {}

  /** The outcome: {@code refusedBy == null} when every limit had a token. */
  public record Decision(Limit refusedBy, Limit first, long remaining, double resetSeconds) {
    public boolean allowed() {
      return refusedBy == null;
    }
  }

  public Decision check(List<Limit> limits) {
    double s = share.getAsDouble();
    List<TokenBucket> taken = new ArrayList<>(limits.size());
    for (Limit limit : limits) {
      TokenBucket bucket = bucket(limit, s);
      if (!bucket.tryAcquire()) {
        taken.forEach(TokenBucket::release);
        return new Decision(limit, limits.get(0), 0, bucket.secondsUntilToken());
      }
      taken.add(bucket);
    }
    if (limits.isEmpty()) {
      return new Decision(null, null, 0, 0);
    }
    TokenBucket first = taken.get(0);
    return new Decision(null, limits.get(0), first.remaining(), first.secondsUntilToken());
  }

  private TokenBucket bucket(Limit limit, double s) {
    ThrottleSettings t = limit.settings();
    double rate = t.rateLimit() * s;
    double burst = Math.max(1, t.burstLimit() * s);
    // The settings are part of the name: a changed limit starts a fresh bucket.
    String name = limit.scope() + "|" + rate + "|" + burst;
    return buckets.computeIfAbsent(name, n -> new TokenBucket(rate, burst, nanoClock));
  }

  /** Forgets full buckets (a full bucket is the same as a new one): keeps memory bounded. */
  public void evictIdle() {
    buckets.values().removeIf(TokenBucket::isFull);
  }

  int size() {
    return buckets.size();
  }
}
