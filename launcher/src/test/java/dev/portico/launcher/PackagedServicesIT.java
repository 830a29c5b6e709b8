package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's packaged jar as an operator runs it ({@code java -jar
 * <module>/target/<module>.jar}): SIGTERM stops it cleanly with status 0, and a port that is taken
 * ends it at once with a non-zero status, its event loop never blocked. The old stop waited out a
 * 30 s timeout (a future completing on an event loop Vert.x had already closed), and a failed start
 * blocked its event loop in {@code System.exit}; the bound below is far under that timeout.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(600)
@Tag("integration")
class PackagedServicesIT {
  /** Well under the 30 s the broken stop took, and generous for a loaded 2-core machine. */
  static final Duration PROMPT = Duration.ofSeconds(10);

  /**
   * A service's jar and the variables that give it free ports and its own state.
   *
   * @param readyPort the variable naming the port that serves {@code /ready}
   */
  record ServiceJar(String module, String readyPort, List<String> otherPorts, String stateDir) {
    Path jar() {
      return Path.of("..", module, "target", module + ".jar");
    }

    @Override
    public String toString() {
      return module;
    }
  }

  static List<ServiceJar> services() {
    return List.of(
        new ServiceJar(
            "edge-service",
            "PORTICO_EDGE_OPS_PORT",
            List.of("PORTICO_EDGE_PORT", "PORTICO_EDGE_ADMIN_PORT", "PORTICO_EDGE_DYNAMODB_PORT"),
            null),
        new ServiceJar(
            "customer-service",
            "PORTICO_CUSTOMER_OPS_PORT",
            List.of(),
            "PORTICO_CUSTOMER_STATE_DIR"),
        new ServiceJar("stream-service", "PORTICO_STREAM_PORT", List.of(), null),
        new ServiceJar(
            "metrics-service", "PORTICO_METRICS_PORT", List.of(), "PORTICO_METRICS_STATE_DIR"),
        new ServiceJar(
            "alarm-service", "PORTICO_ALARM_PORT", List.of(), "PORTICO_ALARM_STATE_DIR"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void shouldStopCleanlyWithStatusZeroOnSigterm(
      ServiceJar service, TestKafka kafka, @TempDir Path dir) throws Exception {
    Map<String, String> env = env(service, kafka, dir);
    Path log = dir.resolve("service.log");
    Process process = start(service, env, log);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast(service + " exited; see " + log, () -> !process.isAlive())
          .until(() -> Http.get(readyUrl(service, env)).statusCode() == 200);

      process.destroy(); // SIGTERM

      assertTrue(
          process.waitFor(PROMPT.toMillis(), TimeUnit.MILLISECONDS),
          service + " still running " + PROMPT + " after SIGTERM; see " + log);
      String output = Files.readString(log);
      assertEquals(0, process.exitValue(), output);
      assertTrue(output.contains(service.module() + " stopped"), output);
      assertFalse(output.contains("did not stop cleanly"), output);
      assertFalse(output.contains("RejectedExecutionException"), output);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void shouldExitAtOnceWhenItsOpsPortIsTaken(TestKafka kafka, @TempDir Path dir) throws Exception {
    ServiceJar customer = services().get(1);
    Map<String, String> env = env(customer, kafka, dir);
    assertFailsToStartOnTakenPort(customer, env, customer.readyPort(), dir.resolve("service.log"));
  }

  /** The edge's data-plane port is bound after its Kafka clients started: those are closed too. */
  @Test
  void shouldExitAtOnceWhenTheEdgePortIsTaken(TestKafka kafka, @TempDir Path dir) throws Exception {
    ServiceJar edge = services().get(0);
    Map<String, String> env = env(edge, kafka, dir);
    assertFailsToStartOnTakenPort(edge, env, "PORTICO_EDGE_PORT", dir.resolve("service.log"));
  }

  private void assertFailsToStartOnTakenPort(
      ServiceJar service, Map<String, String> env, String portVariable, Path log) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      env.put(portVariable, Integer.toString(taken.getLocalPort()));
      Process process = start(service, env, log);
      try {
        assertTrue(
            process.waitFor(PROMPT.toMillis(), TimeUnit.MILLISECONDS),
            service + " still running " + PROMPT + " after its port was refused; see " + log);
        String output = Files.readString(log);
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains(service.module() + " could not start"), output);
        assertFalse(output.contains("has been blocked"), "an event loop was blocked: " + output);
        assertFalse(output.contains("did not stop cleanly"), output);
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private static Map<String, String> env(ServiceJar service, TestKafka kafka, Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", kafka.freshPrefix());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put(service.readyPort(), Integer.toString(FreePorts.next()));
    service.otherPorts().forEach(port -> env.put(port, Integer.toString(FreePorts.next())));
    if (service.stateDir() != null) {
      env.put(service.stateDir(), dir.resolve("state").toString());
    }
    return env;
  }

  private static Process start(ServiceJar service, Map<String, String> env, Path log)
      throws Exception {
    assertTrue(Files.exists(service.jar()), "run after package: " + service.jar().toAbsolutePath());
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                service.jar().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String readyUrl(ServiceJar service, Map<String, String> env) {
    return "http://127.0.0.1:" + env.get(service.readyPort()) + "/ready";
  }
}
