package dev.portico.kafka.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * How to run a KRaft broker: combined broker + controller on loopback, sized for a laptop; the
 * single node (replication 1) unless it has a {@link Quorum}.
 *
 * @param host the address both listeners bind to and the broker advertises
 * @param port the client (PLAINTEXT) port, 9092 by default
 * @param controllerPort the KRaft controller port
 * @param dataDir the log and metadata directory; kept across restarts
 * @param overrides extra broker properties, applied last
 * @param secured a second client listener that requires TLS and/or SASL, or null (plain only)
 * @param quorum this node's place in a cluster of several nodes, or null for the single node
 */
public record BrokerSettings(
    String host,
    int port,
    int controllerPort,
    Path dataDir,
    Map<String, String> overrides,
    SecuredListener secured,
    Quorum quorum) {

  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  /** A log segment's size (Kafka's default is 1 GiB): what a crash makes the broker re-read. */
  static final int SEGMENT_BYTES = 8 * 1024 * 1024;

  public BrokerSettings {
    overrides = Map.copyOf(overrides);
    dataDir = dataDir.toAbsolutePath();
  }

  /** A broker with its PLAINTEXT listener only. */
  public BrokerSettings(
      String host, int port, int controllerPort, Path dataDir, Map<String, String> overrides) {
    this(host, port, controllerPort, dataDir, overrides, null, null);
  }

  public static BrokerSettings defaults(Path dataDir) {
    return new BrokerSettings(
        "127.0.0.1", DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, dataDir, Map.of());
  }

  public BrokerSettings withPorts(int clientPort, int controllerPort) {
    return new BrokerSettings(
        host, clientPort, controllerPort, dataDir, overrides, secured, quorum);
  }

  /** The same broker with a secured client listener beside the PLAINTEXT one. */
  public BrokerSettings withSecuredListener(SecuredListener listener) {
    return new BrokerSettings(host, port, controllerPort, dataDir, overrides, listener, quorum);
  }

  /** The same node as one of a cluster's. */
  public BrokerSettings inQuorum(Quorum membership) {
    return new BrokerSettings(host, port, controllerPort, dataDir, overrides, secured, membership);
  }

  /** This node's id: 1 for the single node. */
  public int nodeId() {
    return quorum == null ? 1 : quorum.nodeId();
  }

  /** The PLAINTEXT listener (inter-broker traffic, set-up, local clients). */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  /** The secured listener's address; only with {@link #secured()} set. */
  public String securedBootstrapServers() {
    if (secured == null) {
      throw new IllegalStateException("this broker has no secured listener");
    }
    return host + ":" + secured.port();
  }

  /** The broker's {@code server.properties}. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(nodeId()));
    p.setProperty(
        "controller.quorum.voters",
        quorum == null ? "1@" + host + ":" + controllerPort : quorum.voters());
    String listeners = "PLAINTEXT://" + host + ":" + port;
    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
    if (secured != null) {
      String listener = SecuredListener.NAME + "://" + host + ":" + secured.port();
      listeners += "," + listener;
      protocols += "," + SecuredListener.NAME + ":" + secured.securityProtocol();
      secured.addTo(p);
    }
    p.setProperty("listeners", listeners + ",CONTROLLER://" + host + ":" + controllerPort);
    p.setProperty("advertised.listeners", listeners);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", protocols);
    p.setProperty("log.dirs", dataDir.toString());
    String replicas = quorum == null ? "1" : Integer.toString(quorum.replicas());
    String minInsync = quorum == null ? "1" : Integer.toString(quorum.minInsyncReplicas());
    // One node: every internal topic has one replica. A cluster: as many as it asks for.
    p.setProperty("offsets.topic.replication.factor", replicas);
    p.setProperty("offsets.topic.num.partitions", "8");
    // For the topic Kafka creates itself (a forming cluster): see OffsetsTopic.
    p.setProperty("offsets.topic.segment.bytes", Integer.toString(OffsetsTopic.SEGMENT_BYTES));
    p.setProperty("transaction.state.log.replication.factor", replicas);
    p.setProperty("transaction.state.log.min.isr", minInsync);
    p.setProperty("transaction.state.log.num.partitions", "8");
    p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
    p.setProperty("share.coordinator.state.topic.min.isr", minInsync);
    if (quorum != null) {
      p.setProperty("default.replication.factor", replicas);
      p.setProperty("min.insync.replicas", minInsync);
    }
    // After a crash Kafka re-reads every segment from the one holding the log's recovery point to
    // its end (checksums, indexes, producer state); with Kafka's 1 GiB segments that is everything
    // the partition ever held. 8 MiB segments and a recovery point checkpointed every 5 s (60 s by
    // default) bound it to about the last segment of each log. See BENCHMARKS.md (restart).
    p.setProperty("log.segment.bytes", Integer.toString(SEGMENT_BYTES));
    p.setProperty("transaction.state.log.segment.bytes", Integer.toString(SEGMENT_BYTES));
    p.setProperty("log.flush.offset.checkpoint.interval.ms", "5000");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // The 128 MiB default dedupe buffer runs small heaps out of memory.
    p.setProperty("log.cleaner.dedupe.buffer.size", "8388608");
    // With short transaction commit intervals the next transaction's first produce often meets
    // CONCURRENT_TRANSACTIONS; the 20 ms default backoff then dominates exactly-once latency.
    p.setProperty("add.partitions.to.txn.retry.backoff.ms", "1");
    if (quorum == null) {
      // The controller's no-op heartbeat records (default every 500 ms) keep an idle one-node
      // quorum busy writing and fsyncing its metadata log; one node has no other controller to
      // fence.
      p.setProperty("metadata.max.idle.interval.ms", "5000");
      // After a kill -9 the restarted node cannot register until its previous incarnation's
      // session has expired (DUPLICATE_BROKER_REGISTRATION): 9 s by default, 3 s here. One node
      // heartbeats to its own controller, so a shorter session costs nothing and fences nothing
      // by mistake. A cluster keeps Kafka's defaults: there a short session would fence live
      // brokers that are merely slow, and its failover figures are those of a real cluster.
      p.setProperty("broker.session.timeout.ms", "3000");
      p.setProperty("broker.heartbeat.interval.ms", "1000");
    }
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "1");
    overrides.forEach(p::setProperty);
    return p;
  }
}
