package dev.portico.function.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A function SDK in another language: where it lives, how to run its programs and its own unit
 * tests, and what it needs installed (installed by {@code .ci/run}; {@code npm ci} is run here when
 * {@code node_modules} is missing, so a fresh clone's {@code mvn verify} works too).
 */
enum SdkLanguage {
  NODE("function-sdk-node", ".js"),
  PYTHON("function-sdk-python", ".py");

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final String directory;
  private final String extension;
  private String interpreter;

  SdkLanguage(String directory, String extension) {
    this.directory = directory;
    this.extension = extension;
  }

  Path directory() {
    return ROOT.resolve(directory);
  }

  /** The command that runs {@code examples/<name>} (or a test fixture) of this SDK. */
  List<String> program(String relativePath) {
    return List.of(interpreter(), relativePath);
  }

  String example(String name) {
    return "examples/" + name + extension;
  }

  /** A program of this module's own ({@code src/test/fixtures}), run from the SDK's directory. */
  String fixture(String name) {
    return ROOT.resolve("function-sdk-it/src/test/fixtures/" + name + extension).toString();
  }

  /** The SDK's own unit tests, in the language's own runner. */
  List<String> unitTests() {
    return this == NODE
        ? List.of(interpreter(), "--test", "test/")
        : List.of(interpreter(), "-m", "unittest", "-v");
  }

  synchronized String interpreter() {
    if (interpreter == null) {
      interpreter = this == NODE ? node() : python();
    }
    return interpreter;
  }

  private String node() {
    String node = System.getProperty("portico.test.node", "node");
    if (!Files.isDirectory(directory().resolve("node_modules/kafkajs"))) {
      Result install = run(directory(), List.of("npm", "ci", "--no-audit", "--no-fund"), 180);
      assertEquals(0, install.status(), "npm ci in function-sdk-node:\n" + install.output());
    }
    return node;
  }

  /**
   * Debian's python3-confluent-kafka installs for Debian's own {@code /usr/bin/python3}, which may
   * not be the first {@code python3} on the PATH (pyenv): take the first that imports it.
   */
  private String python() {
    String configured = System.getProperty("portico.test.python");
    List<String> candidates =
        configured != null ? List.of(configured) : List.of("python3", "/usr/bin/python3");
    List<String> tried = new ArrayList<>();
    for (String candidate : candidates) {
      Result probe = run(ROOT, List.of(candidate, "-c", "import confluent_kafka"), 60);
      if (probe.status() == 0) {
        return candidate;
      }
      tried.add(candidate + ": " + probe.output().strip());
    }
    throw new IllegalStateException(
        "The Python SDK's tests need confluent-kafka (Debian: apt-get install"
            + " python3-confluent-kafka), or -Dportico.test.python=/path/to/python; tried "
            + tried);
  }

  record Result(int status, String output) {}

  static Result run(Path directory, List<String> command, int timeoutSeconds) {
    try {
      Path output = Files.createTempFile("portico-sdk", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
          return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      return new Result(-1, command + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
