package dev.portico.launcher;

import dev.portico.testing.FreePorts;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * All five services as the launcher runs them, on the test JVM's broker and free ports: for tests
 * that talk to Portico only through its public HTTP APIs.
 */
final class WholeSuite implements AutoCloseable {
  final Map<String, String> env = new HashMap<>();
  private PorticoLauncher launcher;

  WholeSuite(TestKafka kafka, Path dataDir) {
    env.put("PORTICO_EMBEDDED_KAFKA", "false");
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", kafka.freshPrefix());
    env.put("PORTICO_DATA_DIR", dataDir.toString());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    for (String port :
        new String[] {
          "PORTICO_EDGE_PORT",
          "PORTICO_EDGE_OPS_PORT",
          "PORTICO_EDGE_ADMIN_PORT",
          "PORTICO_EDGE_DYNAMODB_PORT",
          "PORTICO_CUSTOMER_OPS_PORT",
          "PORTICO_STREAM_PORT",
          "PORTICO_METRICS_PORT",
          "PORTICO_ALARM_PORT"
        }) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    env.put("PORTICO_ALARM_PUBLIC_URL", url("PORTICO_ALARM_PORT", ""));
  }

  /** Sets a variable before {@link #start()}. */
  WholeSuite with(String name, String value) {
    env.put(name, value);
    return this;
  }

  WholeSuite start() {
    launcher = PorticoLauncher.start(env);
    return this;
  }

  /** {@code http://127.0.0.1:<the port in portVariable><path>}. */
  String url(String portVariable, String path) {
    return "http://127.0.0.1:" + env.get(portVariable) + path;
  }

  @Override
  public void close() {
    if (launcher != null) {
      launcher.close();
    }
  }
}
