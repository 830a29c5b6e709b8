package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child broker that is slow or fails to start says what it was doing: the launcher's start-up
 * limit is configurable, and both the progress reports and the final error quote the broker's own
 * latest log line.
 */
@Timeout(180)
@Tag("integration")
class ChildProcessKafkaBrokerTest {
  static final Pattern LAST_LINE = Pattern.compile("its last log line: (.*); see ");

  @TempDir Path dataDir;

  /** A second, absent controller voter: the node never wins an election, so never serves. */
  @Test
  void shouldSayWhatTheBrokerIsDoingWhenItIsNotReadyInTime() throws Exception {
    int controllerPort = InProcessKafkaBrokerTest.freePort();
    BrokerSettings settings =
        new BrokerSettings(
            "127.0.0.1",
            InProcessKafkaBrokerTest.freePort(),
            controllerPort,
            dataDir,
            Map.of(
                "controller.quorum.voters",
                "1@127.0.0.1:"
                    + controllerPort
                    + ",2@127.0.0.1:"
                    + InProcessKafkaBrokerTest.freePort()));
    List<String> progress = new CopyOnWriteArrayList<>();

    BrokerStartException e =
        assertThrows(
            BrokerStartException.class,
            () ->
                ChildProcessKafkaBroker.start(
                    settings,
                    "256m",
                    Duration.ofSeconds(20),
                    (elapsed, state) -> progress.add(elapsed.toSeconds() + " s: " + state)));

    assertTrue(e.getMessage().startsWith("Kafka broker not ready after 20 s; "), e.getMessage());
    String brokerLog = Files.readString(dataDir.resolve("broker.log"));
    assertQuotesTheLog(e.getMessage(), brokerLog);
    assertFalse(progress.isEmpty(), "progress is reported while the broker starts");
    String lastReport = progress.get(progress.size() - 1);
    assertTrue(
        brokerLog.contains(lastReport.substring(lastReport.indexOf(": ") + 2)),
        lastReport + " is a line of " + brokerLog);
  }

  @Test
  void shouldQuoteTheBrokersLastWordsWhenItExitsDuringStartUp() throws Exception {
    BrokerSettings settings =
        BrokerSettings.defaults(dataDir)
            .withPorts(InProcessKafkaBrokerTest.freePort(), InProcessKafkaBrokerTest.freePort());
    // Formatted for node 1, started as node 2: Kafka refuses the storage and exits.
    Storage.format(settings);
    BrokerSettings otherNode =
        new BrokerSettings(
            settings.host(),
            settings.port(),
            settings.controllerPort(),
            dataDir,
            Map.of(
                "node.id",
                "2",
                "controller.quorum.voters",
                "2@127.0.0.1:" + settings.controllerPort()));

    BrokerStartException e =
        assertThrows(
            BrokerStartException.class,
            () ->
                ChildProcessKafkaBroker.start(
                    otherNode, "256m", Duration.ofSeconds(60), (elapsed, state) -> {}));

    assertTrue(
        e.getMessage()
            .startsWith(
                "Kafka broker exited during start-up; its last log line: Exiting Kafka due to"
                    + " fatal exception: java.lang.RuntimeException: Stored node id 1 doesn't"
                    + " match previous node id 2"),
        e.getMessage());
  }

  /**
   * The offsets topic is bounded from its first record on a fresh start, and a topic an earlier run
   * left with Kafka's defaults is bounded on the next start (see {@link OffsetsTopic}).
   */
  @Test
  void shouldBoundTheOffsetsTopicOnEveryStart() throws Exception {
    BrokerSettings settings =
        BrokerSettings.defaults(dataDir)
            .withPorts(InProcessKafkaBrokerTest.freePort(), InProcessKafkaBrokerTest.freePort());
    ConfigResource offsets = new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets");
    try (ChildProcessKafkaBroker broker = ChildProcessKafkaBroker.start(settings, "256m");
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      broker.offsetsTopicBounded().get(60, TimeUnit.SECONDS);
      assertEquals(
          8,
          admin
              .describeTopics(List.of("__consumer_offsets"))
              .allTopicNames()
              .get()
              .get("__consumer_offsets")
              .partitions()
              .size());
      assertBounded(admin.describeConfigs(List.of(offsets)).all().get().get(offsets));
      admin
          .incrementalAlterConfigs(
              Map.of(
                  offsets,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("delete.retention.ms", ""), AlterConfigOp.OpType.DELETE),
                      new AlterConfigOp(
                          new ConfigEntry("segment.bytes", "104857600"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }

    try (ChildProcessKafkaBroker broker = ChildProcessKafkaBroker.start(settings, "256m");
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      broker.offsetsTopicBounded().get(60, TimeUnit.SECONDS);
      assertBounded(admin.describeConfigs(List.of(offsets)).all().get().get(offsets));
    }
  }

  /**
   * What a crash makes the broker re-read is bounded: Kafka recovers a log from the segment that
   * holds its checkpointed recovery point, and with small segments and a frequent checkpoint that
   * point is the start of the last segment a few seconds after it was rolled.
   */
  @Test
  void shouldCheckpointTheRecoveryPointAtTheLastSegmentSoACrashReReadsOnlyThat() throws Exception {
    BrokerSettings settings =
        BrokerSettings.defaults(dataDir)
            .withPorts(InProcessKafkaBrokerTest.freePort(), InProcessKafkaBrokerTest.freePort());
    byte[] value = new byte[100 * 1024];
    // Three segments' worth of values; with each batch's header on top, Kafka rolls a fourth.
    int records = 3 * BrokerSettings.SEGMENT_BYTES / value.length;
    try (ChildProcessKafkaBroker broker = ChildProcessKafkaBroker.start(settings, "256m");
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>("t", value));
      }
      producer.flush();

      Path log = dataDir.resolve("t-0");
      long lastSegment;
      try (var files = Files.list(log)) {
        List<Long> segments =
            files
                .map(file -> file.getFileName().toString())
                .filter(name -> name.endsWith(".log"))
                .map(name -> Long.parseLong(name.substring(0, name.indexOf('.'))))
                .sorted()
                .toList();
        assertTrue(segments.size() >= 3, "rolled at 8 MiB: " + segments);
        lastSegment = segments.get(segments.size() - 1);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> recoveryPoint(dataDir, "t", 0) >= lastSegment);
    }
  }

  /** The partition's recovery point in Kafka's checkpoint file, -1 while it has none. */
  private static long recoveryPoint(Path dataDir, String topic, int partition) throws Exception {
    Path checkpoint = dataDir.resolve("recovery-point-offset-checkpoint");
    if (!Files.exists(checkpoint)) {
      return -1;
    }
    String prefix = topic + " " + partition + " ";
    return Files.readAllLines(checkpoint).stream()
        .filter(line -> line.startsWith(prefix))
        .mapToLong(line -> Long.parseLong(line.substring(prefix.length()).trim()))
        .findFirst()
        .orElse(-1);
  }

  private static void assertBounded(Config config) {
    assertEquals("60000", config.get("delete.retention.ms").value());
    assertEquals("1048576", config.get("segment.bytes").value());
    assertEquals("compact", config.get("cleanup.policy").value());
  }

  private static void assertQuotesTheLog(String message, String brokerLog) {
    Matcher quoted = LAST_LINE.matcher(message);
    assertTrue(quoted.find(), message);
    String line = quoted.group(1).replaceFirst("\\.\\.\\.$", "");
    assertTrue(brokerLog.contains(line), "'" + line + "' is from the broker's log:\n" + brokerLog);
  }
}
