package dev.portico.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker as a child JVM started from this process's own class path ({@code kafka.Kafka
 * server.properties}). A fatal broker fault halts only the child, and the operator sees it in
 * {@code broker.log}; the parent stops it with SIGTERM, which Kafka handles as a clean shutdown.
 * Storage is formatted by the parent before the child starts.
 */
public final class ChildProcessKafkaBroker implements KafkaBroker {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final BrokerSettings settings;
  private final Process process;

  private ChildProcessKafkaBroker(BrokerSettings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  public static ChildProcessKafkaBroker start(BrokerSettings settings, String heap) {
    Storage.requirePortFree(settings.host(), settings.port(), "client");
    Storage.requirePortFree(settings.host(), settings.controllerPort(), "controller");
    Storage.format(settings);
    Path config = settings.dataDir().resolve("server.properties");
    Path log = settings.dataDir().resolve("broker.log");
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.toProperties().store(out, "Written by Portico on every start; edit the launcher");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-Xmx" + heap,
                      "-XX:+UseG1GC",
                      "-cp",
                      System.getProperty("java.class.path"),
                      "kafka.Kafka",
                      config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      ChildProcessKafkaBroker broker = new ChildProcessKafkaBroker(settings, process);
      try {
        Storage.awaitReady(settings.bootstrapServers(), START_TIMEOUT, process::isAlive);
      } catch (BrokerStartException e) {
        broker.close();
        throw new BrokerStartException(e.getMessage() + "; see " + log, e);
      }
      return broker;
    } catch (IOException e) {
      throw new BrokerStartException("Cannot start the Kafka child process: " + e.getMessage(), e);
    }
  }

  @Override
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
