package dev.portico.function.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An SDK program run as a child process, its output appended to a log file (kept in {@code
 * target/sdk-logs} for a failed test's reader). {@link #kill()} is SIGKILL: no shutdown hook, no
 * last commit, the way a crash ends a function.
 */
final class FunctionProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private FunctionProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static FunctionProcess start(
      SdkLanguage language, String program, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(language.program(program))
              .directory(language.directory().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      return new FunctionProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process ends within {@code seconds}, else empty. */
  java.util.OptionalInt exitStatus(int seconds) {
    return awaitExit(seconds)
        ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(10);
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (the SDKs commit and leave the group), SIGKILL if that takes over 20 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!awaitExit(20)) {
        process.destroyForcibly();
        awaitExit(10);
      }
    }
  }

  private boolean awaitExit(int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static List<String> tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }
}
