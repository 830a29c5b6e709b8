package dev.portico.testing;

import dev.portico.kafka.embedded.BrokerSettings;
import dev.portico.kafka.embedded.ChildProcessKafkaCluster;
import dev.portico.kafka.embedded.SecuredListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A Kafka cluster of its own for a fault test: three KRaft nodes as child processes (replication
 * factor 3, {@code min.insync.replicas} 2) on free loopback ports, each with a secured client
 * listener when one is asked for; node data in {@code dir/node-N}, each with its {@code
 * broker.log}.
 */
public final class TestKafkaCluster {
  public static final int NODES = 3;

  /** Three brokers start at once on a shared 2-core machine: give them time. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(240);

  private TestKafkaCluster() {}

  /** A cluster with PLAINTEXT listeners only. */
  public static ChildProcessKafkaCluster start(Path dir) {
    return start(dir, null);
  }

  /**
   * A cluster whose nodes also have the secured listener {@code listener} builds for a free port,
   * or only PLAINTEXT ones when it is null; PLAINTEXT stays for traffic between the nodes.
   */
  public static ChildProcessKafkaCluster start(Path dir, IntFunction<SecuredListener> listener) {
    List<Integer> clientPorts = new ArrayList<>();
    List<Integer> controllerPorts = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      clientPorts.add(FreePorts.next());
      controllerPorts.add(FreePorts.next());
    }
    List<BrokerSettings> nodes =
        ChildProcessKafkaCluster.settings("127.0.0.1", dir, clientPorts, controllerPorts);
    if (listener != null) {
      nodes =
          nodes.stream()
              .map(node -> node.withSecuredListener(listener.apply(FreePorts.next())))
              .toList();
    }
    return ChildProcessKafkaCluster.start(nodes, "384m", START_TIMEOUT);
  }
}
