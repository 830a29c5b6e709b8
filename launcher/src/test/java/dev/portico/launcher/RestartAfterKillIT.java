package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged suite killed with SIGKILL (launcher and broker, as a crash or an OOM kill does),
 * started again on its data, and stopped with SIGTERM as soon as its services have started: it
 * stops cleanly (status 0) within {@link #PROMPT}. The old suite took about 34 s and exited 1: its
 * Streams applications were dynamic group members whose join waited for the dead members' sessions
 * (45 s) to expire, and a Streams close in that state used its whole 30 s timeout; its other
 * consumers waited 5 s each on their parked JoinGroup, one after another.
 *
 * <p>Before the kill it checks that every member of every consumer group of the suite is a static
 * member: one restarted after a crash takes its partitions back at once. A dynamic member's
 * partitions wait for the dead incarnation's 45 s session; with stream-service's groups and
 * alarm-service's delivery group dynamic, the WebSocket fan-out, triggers and deliveries stalled
 * that long after a restart, and "Portico is ready" came 55 s after it.
 */
@Timeout(420)
@Tag("integration")
class RestartAfterKillIT {
  /** A few seconds of stopping, with room for a loaded 2-core machine. */
  static final Duration PROMPT = Duration.ofSeconds(10);

  static final List<String> SERVICES =
      List.of(
          "customer-service", "stream-service", "metrics-service", "alarm-service", "edge-service");

  @Test
  void shouldStopCleanlyAndPromptlyRightAfterARestartFromSigkill(@TempDir Path dir)
      throws Exception {
    Path jar = Path.of("target", "portico.jar");
    assertTrue(Files.exists(jar), "run after package: " + jar.toAbsolutePath());
    Map<String, String> env = environment(dir);

    Path firstLog = dir.resolve("first.log");
    Process first = start(jar, env, firstLog);
    try {
      awaitLogged(first, firstLog, Duration.ofSeconds(120), "Portico is ready");
      assertEveryGroupMemberIsStatic("127.0.0.1:" + env.get("PORTICO_BROKER_PORT"));
    } finally {
      killWithDescendants(first); // SIGKILL, broker included
    }

    Path secondLog = dir.resolve("second.log");
    Process second = start(jar, env, secondLog);
    try {
      awaitLogged(
          second,
          secondLog,
          Duration.ofSeconds(120),
          SERVICES.stream().map(name -> name + " started").toArray(String[]::new));

      long signalled = System.nanoTime();
      second.destroy(); // SIGTERM

      boolean stopped = second.waitFor(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      String log = Files.readString(secondLog);
      assertTrue(stopped, "still running " + PROMPT + " after SIGTERM: " + log);
      assertEquals(0, second.exitValue(), "exit status after " + took + " ms: " + log);
      assertFalse(log.contains("did not stop cleanly"), log);
    } finally {
      killWithDescendants(second);
    }
  }

  private static Map<String, String> environment(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_DATA_DIR", dir.resolve("data").toString());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    for (String port :
        List.of(
            "PORTICO_BROKER_PORT",
            "PORTICO_BROKER_CONTROLLER_PORT",
            "PORTICO_EDGE_PORT",
            "PORTICO_EDGE_OPS_PORT",
            "PORTICO_EDGE_ADMIN_PORT",
            "PORTICO_EDGE_DYNAMODB_PORT",
            "PORTICO_CUSTOMER_OPS_PORT",
            "PORTICO_STREAM_PORT",
            "PORTICO_METRICS_PORT",
            "PORTICO_ALARM_PORT")) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    return env;
  }

  private static Process start(Path jar, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", // as README's command starts it
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** The groups of the suite's subscribing consumers, each with at least one member by now. */
  static final List<String> GROUPS =
      List.of(
          "portico.portico-customer-service",
          "portico.stream-service-triggers",
          "portico.stream-service-fanout",
          "portico.portico-metrics-service",
          "portico.portico-alarm-service",
          "portico.portico-alarm-service-delivery");

  private static void assertEveryGroupMemberIsStatic(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Set<String> all =
                    admin.listGroups().all().get().stream()
                        .map(GroupListing::groupId)
                        .collect(Collectors.toSet());
                assertTrue(all.containsAll(GROUPS), "groups: " + all);
                for (ConsumerGroupDescription group :
                    admin.describeConsumerGroups(all).all().get().values()) {
                  assertFalse(
                      GROUPS.contains(group.groupId()) && group.members().isEmpty(),
                      group.groupId() + " has no member yet");
                  for (MemberDescription member : group.members()) {
                    assertTrue(
                        member.groupInstanceId().isPresent(),
                        "dynamic member in " + group.groupId() + ": " + member);
                  }
                }
              });
    }
  }

  /** Waits until the log holds every one of {@code texts}. */
  private static void awaitLogged(Process process, Path log, Duration atMost, String... texts) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the launcher exited; see " + log, () -> !process.isAlive())
        .until(() -> Stream.of(texts).allMatch(readQuietly(log)::contains));
  }

  private static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private static void killWithDescendants(Process process) throws InterruptedException {
    List<ProcessHandle> all =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : all) {
      handle.onExit().join();
    }
  }
}
