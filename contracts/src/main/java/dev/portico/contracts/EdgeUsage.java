package dev.portico.contracts;

import java.util.Map;

/**
 * A record of the edge's usage ledger ({@link Topics#EDGE_USAGE}); the key's prefix says which:
 * {@code usage/{apiKeyId}/{day}/{replica}} a {@link Count}, {@code replica/{replica}} a {@link
 * Heartbeat}.
 */
public sealed interface EdgeUsage permits EdgeUsage.Count, EdgeUsage.Heartbeat {

  /** Reads a value by its key's prefix. */
  TopicCodec<EdgeUsage> CODEC =
      TopicCodec.byKeyPrefix(Map.of("usage/", Count.class, "replica/", Heartbeat.class));

  /** The cumulative requests of one API key on one UTC day, counted by one replica. */
  record Count(long count) implements EdgeUsage {}

  /** A replica is alive: when it last said so (epoch ms). */
  record Heartbeat(long at) implements EdgeUsage {}
}
