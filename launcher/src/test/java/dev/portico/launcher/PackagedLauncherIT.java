package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a user runs it: the shaded {@code portico.jar} in its own JVM (its
 * class path is not the test's, so a dependency missing from the jar fails here), the lab's POST,
 * and a clean stop on SIGTERM with exit status 0 (the JVM's own would be 143).
 */
@Timeout(180)
@Tag("integration")
class PackagedLauncherIT {

  @Test
  void thePackagedJarShouldServeTheLabRequestAndStopOnSigterm(@TempDir Path dataDir)
      throws Exception {
    Path jar = packagedJar();
    int edge = FreePorts.next();
    int edgeOps = FreePorts.next();
    ProcessBuilder builder = launcherProcess(jar, dataDir);
    builder.environment().put("PORTICO_EDGE_PORT", Integer.toString(edge));
    builder.environment().put("PORTICO_EDGE_OPS_PORT", Integer.toString(edgeOps));
    Process launcher = builder.start();
    List<ProcessHandle> children = List.of();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast("the launcher exited", () -> !launcher.isAlive())
          .until(() -> Http.get("http://127.0.0.1:" + edgeOps + "/ready").statusCode() == 200);
      HttpResponse<String> created =
          Http.postJson(
              "http://127.0.0.1:" + edge + "/prod/customer", FirstRequestEndToEndTest.LAB_ITEM);
      assertEquals(201, created.statusCode(), created.body());
      // The write path serves first; the other services start once it has. Stop only when they
      // have too, so the order of their starts can be read from the log below.
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .failFast("the launcher exited", () -> !launcher.isAlive())
          .until(
              () -> Files.readString(dataDir.resolve("launcher.log")).contains("Portico is ready"));
      children = launcher.descendants().toList();
      assertEquals(1, children.size(), "the broker runs as one child process");
      String brokerCommand = String.join(" ", children.get(0).info().arguments().orElseThrow());
      assertTrue(
          brokerCommand.contains("-XX:SharedArchiveFile=")
              || brokerCommand.contains("-XX:ArchiveClassesAtExit="),
          "the broker maps or records its class archive: " + brokerCommand);
      Path maps = Path.of("/proc", Long.toString(children.get(0).pid()), "maps");
      Matcher archive = Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(brokerCommand);
      if (archive.find() && Files.exists(maps)) {
        // The JVM silently ignores an archive recorded for another class path.
        assertTrue(
            Files.readString(maps).contains(archive.group(1)), "mapped: " + archive.group(1));
      }
    } finally {
      launcher.destroy(); // SIGTERM: the services stop, then the broker
      assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
    }
    String log = Files.readString(dataDir.resolve("launcher.log"));
    assertEquals(0, launcher.exitValue(), "a clean stop on SIGTERM exits 0: " + log);
    assertFalse(log.contains("did not stop cleanly"), log);
    // the write path starts first; the others once it has
    for (String later : List.of("stream-service", "metrics-service", "alarm-service")) {
      for (String first : List.of("customer-service", "edge-service")) {
        int firstStarted = log.indexOf(first + " started");
        assertTrue(
            firstStarted >= 0 && firstStarted < log.indexOf(later + " starting"),
            first + " started before " + later + " starts: " + log);
      }
    }
    try (var beside = Files.list(jar.getParent())) {
      List<String> archives =
          beside
              .map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("portico-broker-"))
              .toList();
      assertEquals(1, archives.size(), "after a clean stop, one class archive: " + archives);
      assertTrue(archives.get(0).endsWith(".jsa"), "no recording left behind: " + archives);
    }
    for (ProcessHandle child : children) {
      boolean alive = child.isAlive();
      child.destroyForcibly();
      assertTrue(!alive, "the broker child process stopped with the launcher");
    }
  }

  static Path packagedJar() {
    Path jar = Path.of("target", "portico.jar");
    assertTrue(Files.exists(jar), "run after package: " + jar.toAbsolutePath());
    return jar;
  }

  /** {@code java -jar portico.jar} on free ports, its output in {@code launcher.log}. */
  static ProcessBuilder launcherProcess(Path jar, Path dataDir) {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("launcher.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("PORTICO_DATA_DIR", dataDir.resolve("data").toString());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_BROKER_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_BROKER_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_EDGE_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_EDGE_OPS_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_EDGE_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_EDGE_DYNAMODB_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_CUSTOMER_OPS_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_STREAM_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_METRICS_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_ALARM_PORT", Integer.toString(FreePorts.next()));
    return builder;
  }

  /**
   * Ctrl-C while the broker child boots (the launcher waits for it to answer): the child stops with
   * the launcher instead of running on without a parent, and the launcher exits 0 without calling
   * the stop a failed start.
   */
  @Test
  void aSigtermWhileTheBrokerBootsShouldStopTheBrokerToo(@TempDir Path dataDir) throws Exception {
    Process launcher = launcherProcess(packagedJar(), dataDir).start();
    ProcessHandle broker = null;
    try {
      broker =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(10))
              .failFast("the launcher exited", () -> !launcher.isAlive())
              .until(() -> launcher.descendants().findFirst(), Optional::isPresent)
              .orElseThrow();
      String before = Files.readString(dataDir.resolve("launcher.log"));
      assertFalse(
          before.contains("Kafka broker ready"), "caught while the broker boots: " + before);
      launcher.destroy(); // SIGTERM
      assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
      ProcessHandle child = broker;
      Awaitility.await("the broker child stopped with the launcher")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !child.isAlive()); // the launcher waited for it: no time is needed here
      String log = Files.readString(dataDir.resolve("launcher.log"));
      assertEquals(0, launcher.exitValue(), log);
      assertFalse(log.contains("could not start"), log);
    } finally {
      launcher.destroyForcibly();
      if (broker != null) {
        broker.destroyForcibly();
      }
    }
  }
}
