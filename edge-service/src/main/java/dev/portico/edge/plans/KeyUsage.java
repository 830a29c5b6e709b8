package dev.portico.edge.plans;

import java.time.LocalDate;

/**
 * What quotas need of API-key usage: requests per key and UTC day, counted across the edge
 * replicas, and this replica's part among them ({@link UsageLedger} keeps them on Kafka).
 */
public interface KeyUsage {
  /** Today in UTC: quota periods are UTC days, weeks and months. */
  LocalDate today();

  /** Counts one admitted request of {@code keyId} now. */
  void record(String keyId);

  /** Requests of {@code keyId} from {@code from} to {@code to}, both inclusive, all replicas. */
  long used(String keyId, LocalDate from, LocalDate to);

  /** This replica's requests of {@code keyId} on {@code day} that the others cannot see yet. */
  long unflushed(String keyId, LocalDate day);

  /** Publishes this replica's counts now rather than at the next interval. */
  void flushSoon();

  /** This replica's share of every limit: 1 / live replicas. */
  double share();

  /** Whether this replica alone spends the last requests of a quota too small to share. */
  boolean isLeader();
}
