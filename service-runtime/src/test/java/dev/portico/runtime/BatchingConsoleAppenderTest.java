package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every line reaches stdout whole and in order, in few writes; a full queue drops, not blocks. */
class BatchingConsoleAppenderTest {
  private final PrintStream original = System.out;
  private final CountingStream stdout = new CountingStream();
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void captureStdout() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's binding gives its own context
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    context.stop();
    System.setOut(original);
  }

  @Test
  void shouldWriteEveryLineInOrderInFarFewerWritesThanLines() {
    BatchingConsoleAppender appender = appender(8_192, 10);
    Logger logger = logger(appender);
    int lines = 2_000;
    for (int i = 0; i < lines; i++) {
      logger.info("line {} {}", i, "é"); // formatted on this thread, encoded on the worker
    }
    appender.stop(); // writes what is still queued

    List<String> expected = IntStream.range(0, lines).mapToObj(i -> "line " + i + " é").toList();
    assertEquals(expected, stdout.text().lines().toList());
    assertEquals(0, appender.dropped());
    // One write per line is what logback's AsyncAppender + ConsoleAppender do.
    assertTrue(stdout.writes <= lines / 10, stdout.writes + " writes for " + lines + " lines");
  }

  @Test
  void shouldDropAndCountLinesWhenTheQueueIsFullWithoutBlocking() {
    // The worker writes what it took first, then sleeps for a minute: the queue of 10 fills up.
    BatchingConsoleAppender appender = appender(10, 60_000);
    Logger logger = logger(appender);
    for (int i = 0; i < 100; i++) {
      logger.info("line {}", i);
    }
    long dropped = appender.dropped();
    appender.stop(); // wakes the worker from its sleep: it writes the queued lines

    // Written: the worker's one batch (up to 11 lines), then the 10 that filled the queue. The
    // first ten lines always find room; when the worker thread starts late (a busy machine), they
    // are its batch and the queue fills again later, so what follows them need not come next.
    List<String> written = stdout.text().lines().toList();
    assertTrue(dropped >= 79, dropped + " dropped");
    assertEquals(100, written.size() + dropped, written + " and " + dropped + " dropped");
    assertEquals(
        IntStream.range(0, 10).mapToObj(i -> "line " + i).toList(),
        written.subList(0, 10),
        "the first ten lines, whole and in order");
    List<Integer> numbers =
        written.stream().map(line -> Integer.parseInt(line.substring("line ".length()))).toList();
    assertEquals(numbers.stream().sorted().distinct().toList(), numbers, "in order, none twice");
  }

  @Test
  void shouldWriteTheServicesAccessLogAsJsonLinesThroughIt() throws Exception {
    // The services' own logback.xml (not the tests' logback-test.xml), as the jars load it.
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    Logger access = context.getLogger("portico.access");
    assertTrue(access.getAppender("ACCESS") instanceof BatchingConsoleAppender);

    access.atInfo().addKeyValue("requestId", "r-1").addKeyValue("status", 200).log("access");
    context.stop(); // stops the appender: it writes what is queued

    JsonNode line = new ObjectMapper().readTree(stdout.text());
    assertEquals("portico.access", line.get("loggerName").asText());
    assertEquals("r-1", line.get("kvpList").get(0).get("requestId").asText());
    assertEquals(200, line.get("kvpList").get(1).get("status").asInt());
  }

  private BatchingConsoleAppender appender(int queueSize, long gatherMillis) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    appender.setContext(context);
    appender.setName("test");
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.setGatherMillis(gatherMillis);
    appender.start();
    assertTrue(appender.isStarted());
    return appender;
  }

  private Logger logger(BatchingConsoleAppender appender) {
    Logger logger = context.getLogger("test");
    logger.setAdditive(false);
    logger.addAppender(appender);
    return logger;
  }

  /** Counts the writes that reach it (what would be write system calls on a file descriptor). */
  private static final class CountingStream extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int writes;

    @Override
    public synchronized void write(int b) {
      writes++;
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
