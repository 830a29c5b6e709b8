package dev.portico.kit;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * How the kit's loops close their consumer: leaving the group (static members too, so a replica
 * that stops hands its partitions over at once), and waiting only when there is something to wait
 * for.
 *
 * <p>A member that owns no partitions has nothing to commit or hand over: its close waits at most
 * {@link #UNASSIGNED_TIMEOUT}, time enough to send its LeaveGroup. That is also a member whose
 * JoinGroup is parked at the coordinator (the eager protocol, Kafka's default, revokes every
 * partition before it joins): the coordinator reads nothing more from that connection until the
 * rebalance ends, which after a crash of other members is their session timeout (45 s) later, so a
 * longer wait only delays the stop; and several such closes in one service would add up.
 */
final class GroupClose {
  static final Duration UNASSIGNED_TIMEOUT = Duration.ofSeconds(1);

  private GroupClose() {}

  static CloseOptions options(Consumer<?, ?> consumer, Duration timeout) {
    return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(owns(consumer) ? timeout : min(timeout, UNASSIGNED_TIMEOUT));
  }

  private static boolean owns(Consumer<?, ?> consumer) {
    try {
      return !consumer.assignment().isEmpty();
    } catch (RuntimeException closedOrFailed) {
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
