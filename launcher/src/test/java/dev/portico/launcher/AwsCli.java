package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI (Debian's {@code awscli}) as a child process, pointed at one DynamoDB endpoint
 * with fixed credentials: its HOME is a scratch directory and every {@code AWS_*} variable of the
 * test's own environment is dropped, so no user configuration or profile leaks in.
 */
final class AwsCli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String endpoint;
  private final Map<String, String> credentials;
  private final Path home;

  AwsCli(String endpoint, String accessKeyId, String secretAccessKey, Path home) {
    this.endpoint = endpoint;
    this.credentials =
        Map.of(
            "AWS_ACCESS_KEY_ID", accessKeyId,
            "AWS_SECRET_ACCESS_KEY", secretAccessKey,
            "AWS_DEFAULT_REGION", "us-east-1");
    this.home = home;
  }

  /**
   * Debian's binary when installed: on a machine with pyenv, a shim named {@code aws} (another CLI,
   * or none) may come first on the PATH. {@code -Dportico.test.aws=} points elsewhere.
   */
  static String binary() {
    String configured = System.getProperty("portico.test.aws");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
  }

  /** What one command printed, and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {
    /** stdout as JSON, after checking that the command succeeded. */
    JsonNode json() {
      assertEquals(0, exitCode, "the CLI failed: " + stderr + stdout);
      try {
        return stdout.isBlank() ? JSON.createObjectNode() : JSON.readTree(stdout);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + stdout, e);
      }
    }
  }

  /** {@code aws dynamodb <args> --endpoint-url <endpoint> --output json}. */
  Result dynamodb(String... args) {
    List<String> command = new ArrayList<>(List.of(binary(), "dynamodb"));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", endpoint, "--output", "json"));
    try {
      Path out = Files.createTempFile(home, "aws-", ".out");
      Path err = Files.createTempFile(home, "aws-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("AWS_"));
      env.putAll(credentials);
      env.put("HOME", home.toString());
      env.put("AWS_PAGER", "");
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the CLI still runs after 120 s: " + command);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The command's JSON output; the command must succeed. */
  JsonNode json(String... args) {
    return dynamodb(args).json();
  }

  /** A file in the CLI's scratch directory, for {@code file://} parameters. */
  Path file(String name, String content) {
    try {
      Path file = home.resolve(name);
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
