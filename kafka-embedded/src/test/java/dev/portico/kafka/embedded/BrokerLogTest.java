package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLogTest {
  @TempDir Path dir;

  @Test
  void shouldGiveTheLatestEventOfThisRunWithoutTimestampLevelOrLogger() throws Exception {
    Path file = dir.resolve("broker.log");
    Files.writeString(file, "[2026-12-05 10:00:00,000] INFO Kafka Server started (kafka.Kafka$)\n");
    BrokerLog log = BrokerLog.from(file);
    assertEquals(
        Optional.empty(), log.latestEvent(), "the previous run's lines are not this one's");
    assertEquals("it has logged nothing yet", log.describeLatest());

    append(
        file,
        "ERROR StatusLogger Log4j2 could not find a logging implementation.\n"
            + "[2026-12-05 11:00:00,000] INFO [ControllerServer id=1] Starting controller"
            + " (kafka.server.ControllerServer)\n"
            + "[2026-12-05 11:00:01,000] INFO Loading logs from log dirs ArrayBuffer(/data)"
            + " (kafka.log.LogManager)\n");

    assertEquals(Optional.of("Loading logs from log dirs ArrayBuffer(/data)"), log.latestEvent());
    assertEquals(
        "its last log line: Loading logs from log dirs ArrayBuffer(/data)", log.describeLatest());
  }

  @Test
  void shouldAddTheExceptionsOwnLineToAFatalEvent() throws Exception {
    Path file = dir.resolve("broker.log");
    BrokerLog log = BrokerLog.from(file);
    Files.writeString(
        file,
        "[2026-12-05 11:00:00,000] ERROR Exiting Kafka due to fatal exception (kafka.Kafka$)\n"
            + "java.lang.RuntimeException: No readable meta.properties files found.\n"
            + "\tat kafka.Kafka.main(Kafka.scala)\n");

    assertEquals(
        Optional.of(
            "Exiting Kafka due to fatal exception: java.lang.RuntimeException: No readable"
                + " meta.properties files found."),
        log.latestEvent());
  }

  @Test
  void shouldShortenAVeryLongEvent() throws Exception {
    Path file = dir.resolve("broker.log");
    BrokerLog log = BrokerLog.from(file);
    Files.writeString(file, "[t] INFO " + "x".repeat(1000) + " (kafka.log.LogManager)\n");

    assertEquals("x".repeat(300) + "...", log.latestEvent().orElseThrow());
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }
}
