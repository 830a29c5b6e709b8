package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Docs are run, not just read: every shell block of README.md and docs/*.md runs as printed, in
 * order per document (README first, then docs/ by name), with bash, against the packaged {@code
 * portico.jar} started on the default ports (8080-8094, broker 9092-9093), the way the README's run
 * command starts it. The conventions for writing those blocks ({@code <!-- not-run: reason -->},
 * {@code # => expected output}) are in {@link DocCommands}.
 *
 * <p>How a document runs: one bash per document ({@code set -eE -o pipefail}, so a failing command
 * fails the document), variables carrying over from block to block; its working directory is a
 * scratch directory that links every top-level entry of the repository (so {@code
 * function-example/target/function-example.jar} resolves as in a clone) and holds the launcher's
 * {@code data/} (so {@code cat data/admin-token} works). curl runs with {@code --fail-with-body} (a
 * {@code .curlrc}): an HTTP error answer fails the command, unless its step states an expected
 * output, which is then what is checked. Background jobs a document starts are stopped with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@Tag("integration")
class DocsCommandsIT {
  static final Path ROOT = ComposeFileTest.ROOT;
  static final Set<Integer> OPS_PORTS = Set.of(8090, 8091, 8092, 8093, 8094);
  private static final int CURL_HTTP_ERROR = 22;

  Path work;
  Process launcher;

  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @BeforeAll
  void startTheSuiteAsPrinted() throws Exception {
    Path jar = ROOT.resolve("launcher/target/portico.jar");
    assertTrue(Files.exists(jar), "run after package: " + jar);
    work = Files.createTempDirectory("portico-docs");
    try (Stream<Path> entries = Files.list(ROOT)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!Set.of("data", ".git").contains(name)) {
          Files.createSymbolicLink(work.resolve(name), entry);
        }
      }
    }
    Files.writeString(work.resolve(".curlrc"), "fail-with-body\n");
    launcher =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", // as README's command starts it
                "-jar",
                jar.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("launcher.log").toFile())
            .start();
    for (int port : OPS_PORTS) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast(
              "the launcher exited: see " + work.resolve("launcher.log"), () -> !launcher.isAlive())
          .until(() -> Http.get("http://127.0.0.1:" + port + "/ready").statusCode() == 200);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (launcher != null) {
      List<ProcessHandle> children = launcher.descendants().toList();
      launcher.destroy();
      assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
      children.forEach(ProcessHandle::destroyForcibly);
    }
    if (work != null) {
      // Deepest first; links are deleted, never followed into the repository.
      try (Stream<Path> paths = Files.walk(work)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyShellBlockShouldRunAsPrinted() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : documents()) {
      String name = ROOT.relativize(doc).toString();
      DocCommands commands = DocCommands.parse(name, Files.readString(doc, StandardCharsets.UTF_8));
      if (commands.blocks().stream().allMatch(b -> b.notRun() != null)) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(name, () -> run(commands)));
    }
    assertFalse(tests.isEmpty(), "no shell block found");
    return tests.stream();
  }

  private void run(DocCommands commands) throws Exception {
    Path out = Files.createTempDirectory(work, "run-");
    StringBuilder script = new StringBuilder();
    script.append("set -eE -o pipefail\n");
    script.append("trap 'if [[ $- == *e* ]]; then echo \"$STEP\" > \"$OUT/failed\"; fi' ERR\n");
    script.append("trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
    List<DocCommands.Step> steps = new ArrayList<>();
    for (DocCommands.Block block : commands.blocks()) {
      if (block.notRun() != null) {
        continue;
      }
      for (DocCommands.Step step : block.steps()) {
        int n = steps.size();
        steps.add(step);
        script.append("STEP=").append(n).append('\n');
        boolean checked = !step.expected().isEmpty();
        if (checked) {
          script.append("set +e\n");
        }
        script.append("{\n").append(step.script()).append("\n} > \"$OUT/").append(n);
        script.append(".out\" 2>&1\n");
        script.append("echo $? > \"$OUT/").append(n).append(".rc\"\n");
        if (checked) {
          script.append("set -e\n");
        }
      }
    }
    Files.writeString(out.resolve("script.sh"), script);
    ProcessBuilder bash =
        new ProcessBuilder("bash", out.resolve("script.sh").toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("bash.log").toFile());
    bash.environment().put("OUT", out.toString());
    bash.environment().put("CURL_HOME", work.toString());
    // stdin stays an open pipe that never ends, like a terminal's: wscat, for one, quits at EOF.
    Process process = bash.start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (!ended) {
      process.destroyForcibly();
      fail(commands.document() + ": still running after 5 minutes; outputs in " + out);
    }
    for (int n = 0; n < steps.size(); n++) {
      DocCommands.Step step = steps.get(n);
      String where = commands.document() + ":" + step.line();
      Path rc = out.resolve(n + ".rc");
      String output =
          Files.exists(out.resolve(n + ".out")) ? Files.readString(out.resolve(n + ".out")) : "";
      if (!Files.exists(rc)) {
        fail(
            where
                + ": the commands failed:\n"
                + step.script()
                + "--- output:\n"
                + output
                + "\n--- bash: "
                + Files.readString(out.resolve("bash.log")));
      }
      int status = Integer.parseInt(Files.readString(rc).trim());
      if (step.expected().isEmpty()) {
        assertEquals(0, status, where + ": exit status of\n" + step.script() + output);
        continue;
      }
      assertTrue(
          status == 0 || status == CURL_HTTP_ERROR,
          where + ": exit status " + status + " of\n" + step.script() + output);
      String missing = DocCommands.missing(output, step.expected());
      assertNull(
          missing,
          where + ": the output lacks '" + missing + "'; commands:\n" + step.script() + output);
    }
  }
}
