package dev.portico.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** What both ways of running the broker share: port checks, formatting, waiting for it. */
final class Storage {
  private Storage() {}

  /** Fails with the port's number when something else already listens there. */
  static void requirePortFree(String host, int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new BrokerStartException(
          "Cannot start Kafka: "
              + what
              + " port "
              + port
              + " on "
              + host
              + " is already in use ("
              + e.getMessage()
              + "). Stop whatever uses it or choose another port.");
    }
  }

  /** Formats the data directory once; a formatted directory is kept as it is. */
  static void format(BrokerSettings settings) {
    if (Files.exists(settings.dataDir().resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(settings.dataDir());
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(settings.nodeId())
          .setClusterId(
              settings.quorum() == null
                  ? Uuid.randomUuid().toString()
                  : settings.quorum().clusterId())
          .setDirectories(List.of(settings.dataDir().toString()))
          .setMetadataLogDirectory(settings.dataDir().toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setIgnoreFormatted(true)
          .setScramArguments(
              settings.secured() == null ? List.of() : settings.secured().scramArguments())
          .run();
    } catch (Exception e) {
      throw new BrokerStartException(
          "Cannot format Kafka storage in " + settings.dataDir() + ": " + e.getMessage(), e);
    }
  }

  /** Waits for the port to accept connections, so the admin client does not log refusals. */
  private static void awaitListening(
      String bootstrap, long deadline, java.util.function.BooleanSupplier alive) {
    int colon = bootstrap.lastIndexOf(':');
    var address =
        new InetSocketAddress(
            bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    while (System.nanoTime() < deadline && alive.getAsBoolean()) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(address, 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50); // the broker process is still starting; nothing to wait on but time
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Blocks until the broker answers a cluster description, or fails after {@code timeout}. */
  static void awaitReady(
      String bootstrap, Duration timeout, java.util.function.BooleanSupplier alive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitListening(bootstrap, deadline, alive);
    var props = new java.util.HashMap<String, Object>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (!alive.getAsBoolean()) {
          throw new BrokerStartException("Kafka broker exited during start-up");
        }
        try {
          admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          // not listening yet: try again until the deadline
        }
      }
    }
    throw new BrokerStartException("Kafka broker not ready after " + readable(timeout));
  }

  /** {@code 60 s}, or {@code 1500 ms} when the duration is not whole seconds. */
  static String readable(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
