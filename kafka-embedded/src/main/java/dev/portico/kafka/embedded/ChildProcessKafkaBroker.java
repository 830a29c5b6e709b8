package dev.portico.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The broker as a child JVM started from this process's own class path ({@code kafka.Kafka
 * server.properties}). A fatal broker fault halts only the child, and the operator sees it in
 * {@code broker.log}; the parent stops it with SIGTERM, which Kafka handles as a clean shutdown.
 * Storage is formatted by the parent before the child starts. While the parent waits for it, the
 * child's log says what it is doing (loading or recovering logs, loading metadata, electing itself
 * controller), and the parent passes that on.
 */
public final class ChildProcessKafkaBroker implements KafkaBroker {
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
  private static final String LOGBACK_CONFIG = "portico-broker-logback.xml";

  private final BrokerSettings settings;
  private final Process process;
  private final BrokerLog log;
  private final Optional<BrokerClassArchive> classArchive;

  /** Whether it answered once: only such a run's class-archive recording is worth keeping. */
  private volatile boolean ready;

  private final CompletableFuture<Void> offsetsTopicBounded = new CompletableFuture<>();
  private volatile Thread offsetsTopicWork;

  private ChildProcessKafkaBroker(
      BrokerSettings settings,
      Process process,
      BrokerLog log,
      Optional<BrokerClassArchive> classArchive) {
    this.settings = settings;
    this.process = process;
    this.log = log;
    this.classArchive = classArchive;
  }

  public static ChildProcessKafkaBroker start(BrokerSettings settings, String heap) {
    return start(settings, heap, DEFAULT_START_TIMEOUT, (elapsed, state) -> {});
  }

  /**
   * Starts the broker and waits until it answers, at most {@code startTimeout}: {@link #launch}
   * then {@link #awaitReady}.
   *
   * @throws BrokerStartException see {@link #launch} and {@link #awaitReady}
   */
  public static ChildProcessKafkaBroker start(
      BrokerSettings settings,
      String heap,
      Duration startTimeout,
      BiConsumer<Duration, String> progress) {
    ChildProcessKafkaBroker broker = launch(settings, heap);
    broker.awaitReady(startTimeout, progress);
    return broker;
  }

  /**
   * Formats the storage if needed and starts the child process, without waiting for it: the caller
   * holds a broker it can {@link #close} while the child boots (a stop during start-up must not
   * leave the child behind), and can do its own start-up work meanwhile.
   *
   * @throws BrokerStartException when a port is taken or the process cannot start
   */
  public static ChildProcessKafkaBroker launch(BrokerSettings settings, String heap) {
    Storage.requirePortFree(settings.host(), settings.port(), "client");
    Storage.requirePortFree(settings.host(), settings.controllerPort(), "controller");
    if (settings.secured() != null) {
      Storage.requirePortFree(settings.host(), settings.secured().port(), "secured client");
    }
    Storage.format(settings);
    Path config = settings.dataDir().resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.toProperties().store(out, "Written by Portico on every start; edit the launcher");
      BrokerLog log = BrokerLog.from(settings.dataDir().resolve("broker.log"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String ownClassPath = System.getProperty("java.class.path");
      Optional<BrokerClassArchive> classArchive =
          BrokerClassArchive.forClassPath(ownClassPath, System.getProperty("java.vm.version"));
      String classPath = classArchive.map(BrokerClassArchive::classPath).orElse(ownClassPath);
      List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC"));
      classArchive.ifPresent(archive -> command.addAll(archive.jvmOptions()));
      command.addAll(
          List.of(
              "-Dlogback.configurationFile=" + LOGBACK_CONFIG,
              "-cp",
              classPath,
              "kafka.Kafka",
              config.toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()))
              .start();
      return new ChildProcessKafkaBroker(settings, process, log, classArchive);
    } catch (IOException e) {
      throw new BrokerStartException("Cannot start the Kafka child process: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the launched broker answers, at most {@code timeout}; stops it when it does not.
   *
   * @param progress told every few seconds while it waits: the time waited so far and what the
   *     broker is doing (its latest log line)
   * @throws BrokerStartException when the broker exits (or is closed) or is not ready in time; the
   *     message says what the broker was doing last
   */
  public void awaitReady(Duration timeout, BiConsumer<Duration, String> progress) {
    long start = System.nanoTime();
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kafka-broker-start-progress");
              thread.setDaemon(true);
              return thread;
            });
    reporter.scheduleAtFixedRate(
        () ->
            progress.accept(
                Duration.ofNanos(System.nanoTime() - start),
                log.latestEvent().orElse("(nothing logged yet)")),
        PROGRESS_INTERVAL.toMillis(),
        PROGRESS_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      Storage.awaitReady(settings.bootstrapServers(), timeout, process::isAlive);
      ready = true;
      boundOffsetsTopic();
    } catch (BrokerStartException e) {
      String state = log.describeLatest(); // before stopping it adds its shutdown to the log
      close();
      throw new BrokerStartException(e.getMessage() + "; " + state + "; see " + log.file(), e);
    } finally {
      reporter.shutdownNow();
    }
  }

  /**
   * See {@link OffsetsTopic}. One node only: the nodes of a cluster start together and the topic's
   * replicas need all of them, so a cluster's nodes leave it to Kafka, which creates it on a
   * group's first request with the 1 MiB segments of the broker's settings (as on a cluster users
   * run, see the README).
   */
  private void boundOffsetsTopic() {
    if (settings.quorum() != null) {
      offsetsTopicBounded.complete(null);
      return;
    }
    offsetsTopicWork =
        OffsetsTopic.boundInBackground(
            settings.bootstrapServers(),
            Integer.parseInt(settings.toProperties().getProperty("offsets.topic.num.partitions")),
            1,
            DEFAULT_START_TIMEOUT,
            offsetsTopicBounded);
  }

  /**
   * Completes once {@code __consumer_offsets} has the bounded settings of {@link OffsetsTopic} (set
   * in the background after the broker first answers), or exceptionally when that failed.
   */
  public CompletableFuture<Void> offsetsTopicBounded() {
    return offsetsTopicBounded;
  }

  @Override
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  public BrokerSettings settings() {
    return settings;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Ends the broker as a crash would: SIGKILL, no clean shutdown (for fault tests). */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Thread work = offsetsTopicWork;
    if (work != null) {
      work.interrupt();
    }
    process.destroy();
    try {
      if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        classArchive.ifPresent(archive -> archive.afterExit(ready));
      } else {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
