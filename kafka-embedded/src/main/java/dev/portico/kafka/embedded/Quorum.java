package dev.portico.kafka.embedded;

/**
 * A node's place in a KRaft cluster of several combined broker + controller nodes: which node it
 * is, the cluster it belongs to, and how many copies the cluster keeps of what it writes. Without
 * one, {@link BrokerSettings} describe the single-node broker.
 *
 * @param nodeId this node's id, 1 to the number of nodes
 * @param clusterId the id every node's storage is formatted with
 * @param voters the controller quorum, {@code id@host:controllerPort} of every node
 * @param replicas replication factor of the internal topics (offsets, transaction state) and of
 *     topics created without one
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged ({@code
 *     acks=all}), for every topic and the transaction state
 */
public record Quorum(
    int nodeId, String clusterId, String voters, int replicas, int minInsyncReplicas) {

  public Quorum {
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicas) {
      throw new IllegalArgumentException(
          "min.insync.replicas " + minInsyncReplicas + " must be 1 to " + replicas);
    }
  }
}
