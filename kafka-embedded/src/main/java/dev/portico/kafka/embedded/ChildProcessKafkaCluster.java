package dev.portico.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of several nodes on one host, each a {@link ChildProcessKafkaBroker} (combined
 * broker + controller, all nodes voters of the controller quorum), as production runs Kafka:
 * replication factor = the number of nodes for the internal topics and new topics, {@code
 * min.insync.replicas} one less, so the cluster keeps accepting writes with a node down. For tests
 * that kill a node; the single-node broker stays the local default.
 */
public final class ChildProcessKafkaCluster implements AutoCloseable {
  private final List<ChildProcessKafkaBroker> nodes;

  private ChildProcessKafkaCluster(List<ChildProcessKafkaBroker> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * The settings of {@code clientPorts.size()} nodes on {@code host}: node {@code n} (from 1) with
   * the n-th client and controller port, its data in {@code dir/node-n}.
   */
  public static List<BrokerSettings> settings(
      String host, Path dir, List<Integer> clientPorts, List<Integer> controllerPorts) {
    int count = clientPorts.size();
    if (count < 2 || controllerPorts.size() != count) {
      throw new IllegalArgumentException("a cluster needs 2 or more nodes, each with both ports");
    }
    String clusterId = Uuid.randomUuid().toString();
    String voters = "";
    for (int n = 1; n <= count; n++) {
      voters += (n > 1 ? "," : "") + n + "@" + host + ":" + controllerPorts.get(n - 1);
    }
    List<BrokerSettings> settings = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      settings.add(
          new BrokerSettings(
                  host,
                  clientPorts.get(n - 1),
                  controllerPorts.get(n - 1),
                  dir.resolve("node-" + n),
                  Map.of())
              .inQuorum(new Quorum(n, clusterId, voters, count, count - 1)));
    }
    return settings;
  }

  /**
   * Starts every node at once (none is ready before a majority of the quorum runs) and waits until
   * each answers; if one fails, the others are stopped and its error is thrown.
   */
  public static ChildProcessKafkaCluster start(
      List<BrokerSettings> settings, String heap, Duration startTimeout) {
    // A thread per node: the common pool may have a single thread on a small machine.
    ExecutorService threads = Executors.newFixedThreadPool(settings.size());
    List<CompletableFuture<ChildProcessKafkaBroker>> starting = new ArrayList<>();
    for (BrokerSettings node : settings) {
      starting.add(
          CompletableFuture.supplyAsync(
              () -> ChildProcessKafkaBroker.start(node, heap, startTimeout, (t, state) -> {}),
              threads));
    }
    threads.shutdown();
    List<ChildProcessKafkaBroker> started = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<ChildProcessKafkaBroker> node : starting) {
      try {
        started.add(node.join());
      } catch (CompletionException e) {
        failure =
            failure != null
                ? failure
                : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }
    if (failure != null) {
      started.forEach(ChildProcessKafkaBroker::close);
      throw failure;
    }
    return new ChildProcessKafkaCluster(started);
  }

  /** Every node's PLAINTEXT listener. */
  public String bootstrapServers() {
    return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
  }

  /** Every node's secured listener; only when the nodes have one. */
  public String securedBootstrapServers() {
    return nodes.stream()
        .map(node -> node.settings().securedBootstrapServers())
        .collect(Collectors.joining(","));
  }

  /** The node with id {@code nodeId} (from 1). */
  public ChildProcessKafkaBroker node(int nodeId) {
    return nodes.get(nodeId - 1);
  }

  public List<ChildProcessKafkaBroker> nodes() {
    return nodes;
  }

  /** Stops the nodes still running, cleanly and all at once. */
  @Override
  public void close() {
    ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
    nodes.stream()
        .filter(ChildProcessKafkaBroker::isAlive)
        .map(node -> CompletableFuture.runAsync(node::close, threads))
        .toList()
        .forEach(CompletableFuture::join);
    threads.shutdown();
  }
}
