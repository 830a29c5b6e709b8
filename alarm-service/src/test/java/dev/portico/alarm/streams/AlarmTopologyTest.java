package dev.portico.alarm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.alarm.Definitions;
import dev.portico.alarm.eval.DdSketches;
import dev.portico.alarm.eval.StatisticValue;
import dev.portico.alarm.notify.AlarmMessages;
import dev.portico.alarm.notify.Links;
import dev.portico.alarm.notify.MessageRenderer;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.alarms.AlarmCommand;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import dev.portico.contracts.alarms.TopicCommand;
import dev.portico.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole topology without a broker: commands and datapoints in, views and outbox out. */
class AlarmTopologyTest {
  static final TopicNames NAMES =
      new TopicNames(
          "datapoints",
          "commands",
          "signals",
          "alarms",
          "state-changes",
          "history",
          "topic-commands",
          "messages",
          "topics",
          "deliveries",
          "dead-letters");

  /** metrics-service's graces (5 s for 1-second periods, 1 minute for minutes), no margin. */
  static final DatapointDeadline DEADLINE =
      new DatapointDeadline(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ZERO);

  final MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));

  /** Before the driver is made: its wall clock starts at the time it is made. */
  final long wallClockBeforeStart = System.currentTimeMillis();

  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> commands;
  TestInputTopic<String, byte[]> topicCommands;
  TestInputTopic<String, byte[]> datapoints;
  TestOutputTopic<String, String> alarms;
  TestOutputTopic<String, String> stateChanges;
  TestOutputTopic<String, String> history;
  TestOutputTopic<String, String> deliveries;

  @TempDir Path stateDir;

  @BeforeEach
  void start() {
    Links links = new Links("http://alarms.test", "http://dashboard.test/dashboard");
    EvaluationSettings settings =
        new EvaluationSettings(
            clock,
            Duration.ofSeconds(1),
            DEADLINE,
            new StatisticValue(new DdSketches()),
            new AlarmMessages("Portico", links),
            new MessageRenderer(links),
            "Portico Notifications",
            new SimpleMeterRegistry());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alarm-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // A state directory of its own: the default one under /tmp is shared by every build on the
    // machine, and RocksDB refuses a store another process holds open.
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(AlarmTopology.build(NAMES, settings), props);
    var keys = Serdes.String();
    var bytes = Serdes.ByteArray();
    commands = driver.createInputTopic("commands", keys.serializer(), bytes.serializer());
    topicCommands =
        driver.createInputTopic("topic-commands", keys.serializer(), bytes.serializer());
    datapoints = driver.createInputTopic("datapoints", keys.serializer(), bytes.serializer());
    alarms = driver.createOutputTopic("alarms", keys.deserializer(), keys.deserializer());
    stateChanges =
        driver.createOutputTopic("state-changes", keys.deserializer(), keys.deserializer());
    history = driver.createOutputTopic("history", keys.deserializer(), keys.deserializer());
    deliveries = driver.createOutputTopic("deliveries", keys.deserializer(), keys.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  void command(AlarmCommand command, String name, String commandId) {
    var headers = new RecordHeaders();
    ProtocolHeaders.put(headers, EventHeaders.COMMAND_ID, commandId);
    commands.pipeInput(new TestRecord<>(name, Json.toBytes(command), headers));
  }

  void topicCommand(TopicCommand command) {
    topicCommands.pipeInput(command.topicName(), Json.toBytes(command));
  }

  void datapoint(String at, double value) {
    datapoint(at, value, 60);
  }

  void datapoint(String at, double value, int period) {
    MetricDatapoint dp =
        new MetricDatapoint(
            "Portico/Lab",
            "VolumeWriteBytes",
            Map.of("VolumeId", "vol-00f66de5615226721"),
            period,
            Instant.parse(at).toEpochMilli(),
            1,
            value,
            value,
            value,
            "Bytes",
            null);
    datapoints.pipeInput("Portico/Lab/VolumeWriteBytes", Json.toBytes(dp));
  }

  void confirmedEmailSubscription(String topic, String email) {
    long now = clock.millis();
    topicCommand(new TopicCommand(TopicCommand.CREATE, topic, null, null, null, null, null, now));
    topicCommand(
        new TopicCommand(TopicCommand.SUBSCRIBE, topic, null, "sub-1", "email", email, "tok", now));
    JsonNode confirmation = json(deliveries.readValue());
    assertEquals(
        "Portico Notification - Subscription Confirmation", confirmation.get("subject").asText());
    assertTrue(
        confirmation
            .get("body")
            .asText()
            .contains("http://alarms.test/subscriptions/sub-1/confirm?token=tok"));
    topicCommand(
        new TopicCommand(TopicCommand.CONFIRM, topic, null, "sub-1", null, null, "tok", now));
  }

  /** True when no transition is waiting (TopologyTestDriver: also when none was ever written). */
  boolean noStateChange() {
    try {
      return stateChanges.isEmpty();
    } catch (java.util.NoSuchElementException neverWritten) {
      return true;
    }
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }

  @Test
  void shouldStartInsufficientDataThenAlarmOnTheLabDatapointAndQueueOneEmail() {
    confirmedEmailSubscription(Definitions.LAB_TOPIC, "ops@example.com");
    command(
        new AlarmCommand(AlarmCommand.PUT, Definitions.lab(), null, null),
        Definitions.LAB_ALARM,
        "c1");
    JsonNode created = json(alarms.readValue());
    assertEquals("INSUFFICIENT_DATA", created.at("/state/value").asText());
    assertEquals("Unchecked: Initial alarm creation", created.at("/state/reason").asText());
    assertEquals("ConfigurationUpdate", json(history.readValue()).get("historyItemType").asText());

    datapoint("2023-09-08T07:06:00Z", 248827.87525987526);

    JsonNode change = json(stateChanges.readValue());
    assertEquals("ALARM", change.at("/state/value").asText());
    assertEquals("INSUFFICIENT_DATA", change.at("/previousState/value").asText());
    assertEquals(
        "Threshold Crossed: 1 out of the last 1 datapoints [248827.87525987526 (08/09/23"
            + " 07:06:00)] was greater than the threshold (100000.0) (minimum 1 datapoint for OK ->"
            + " ALARM transition).",
        change.at("/state/reason").asText());
    assertEquals("GreaterThanThreshold", change.at("/configuration/ComparisonOperator").asText());
    JsonNode stateUpdate = json(history.readValue());
    assertEquals(
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
        stateUpdate.get("historySummary").asText());
    JsonNode action = json(history.readValue());
    assertEquals(
        "Successfully executed action " + Definitions.LAB_TOPIC,
        action.get("historySummary").asText());

    List<String> queued = deliveries.readValuesToList();
    assertEquals(1, queued.size(), "one email for one confirmed subscriber");
    JsonNode email = json(queued.get(0));
    assertEquals(
        "ALARM: \"awslab_cloudwatch_toomuch_volume_alarm\" in Portico",
        email.get("subject").asText());
    assertEquals("PENDING", email.get("status").asText());
    String body = email.get("body").asText();
    assertTrue(body.contains("- State Change:             INSUFFICIENT_DATA -> ALARM"), body);
    assertTrue(
        body.contains(
            "The alarm is in the ALARM state when the metric is GreaterThanThreshold 100000.0 for"
                + " 60 seconds."),
        body);
    assertTrue(body.contains("http://alarms.test/subscriptions/sub-1/unsubscribe?token="), body);
    assertTrue(
        body.contains(
            "View this alarm:\nhttp://dashboard.test/dashboard#alarm="
                + Definitions.LAB_ALARM
                + "\n"),
        "the link opens the alarm in the dashboard: " + body);
  }

  @Test
  void shouldStampWhatItWritesWithTheWallClockNotTheEvaluationClock() {
    // The evaluation clock is years behind the wall clock here, as in every test. Kafka deletes a
    // record once its timestamp is older than the topic's retention: stamped with the evaluation
    // clock, a notification or an outbox entry was deleted by the broker's next retention pass,
    // now and then before alarm-service had read it (an email never attempted).
    var strings = Serdes.String();
    Map<String, TestOutputTopic<String, String>> written = new TreeMap<>();
    for (String topic :
        List.of(
            "alarms", "state-changes", "history", "signals", "messages", "topics", "deliveries")) {
      written.put(
          topic, driver.createOutputTopic(topic, strings.deserializer(), strings.deserializer()));
    }
    long now = clock.millis();
    String topic = Definitions.LAB_TOPIC;
    topicCommand(new TopicCommand(TopicCommand.CREATE, topic, null, null, null, null, null, now));
    topicCommand(
        new TopicCommand(
            TopicCommand.SUBSCRIBE, topic, null, "sub-1", "email", "ops@example.com", "tok", now));
    topicCommand(
        new TopicCommand(TopicCommand.CONFIRM, topic, null, "sub-1", null, null, "tok", now));
    command(
        new AlarmCommand(AlarmCommand.PUT, Definitions.lab(), null, null),
        Definitions.LAB_ALARM,
        "c1");
    datapoint("2023-09-08T07:06:00Z", 248827.87525987526);

    written.forEach(
        (name, records) -> {
          List<Long> stamps =
              records.readRecordsToList().stream().map(TestRecord::timestamp).toList();
          assertFalse(stamps.isEmpty(), "nothing written to " + name);
          for (long stamp : stamps) {
            assertTrue(
                stamp >= wallClockBeforeStart,
                name
                    + ": a record stamped "
                    + Instant.ofEpochMilli(stamp)
                    + ", not the wall clock");
          }
        });
  }

  @Test
  void shouldTreatOverdueDatapointsAsMissingOnTheClock() {
    command(
        new AlarmCommand(AlarmCommand.PUT, Definitions.lab(), null, null),
        Definitions.LAB_ALARM,
        "c1");
    alarms.readValuesToList();
    datapoint("2023-09-08T07:06:00Z", 248827.87525987526);
    assertEquals("ALARM", json(stateChanges.readValue()).at("/state/value").asText());

    // 07:09:00: 07:07 is overdue, but 07:06 is still within the evaluation range (1 + 2 periods).
    clock.set(Instant.parse("2023-09-08T07:09:00Z"));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertTrue(stateChanges.isEmpty());
    // 07:11:00: 07:09 is overdue and 07:06 has left the range: nothing real remains.
    clock.set(Instant.parse("2023-09-08T07:11:00Z"));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    JsonNode change = json(stateChanges.readValue());
    assertEquals("INSUFFICIENT_DATA", change.at("/state/value").asText());
    assertEquals(
        "Insufficient Data: 1 datapoint was unknown.", change.at("/state/reason").asText());
    // Ticking again in the same period changes nothing: each period is evaluated once.
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertTrue(stateChanges.isEmpty());
  }

  @Test
  void anAlarmPeriodMetricsServiceDoesNotEmitShouldBeRolledUpFromMinutes() {
    // Created at 07:07:14: the periods 07:06-07:08, 07:08-07:10, ... are still to come.
    AlarmDefinition twoMinutes =
        Definitions.metric("two-minutes", "GreaterThanThreshold", 100.0, 120, 1, 1, "missing");
    command(new AlarmCommand(AlarmCommand.PUT, twoMinutes, null, null), "two-minutes", "c1");
    datapoint("2023-09-08T07:06:00Z", 50.0);
    assertTrue(noStateChange(), "half a period decides nothing");
    datapoint("2023-09-08T07:07:00Z", 300.0); // the period's last minute: complete
    JsonNode alarm = json(stateChanges.readValue());
    assertEquals("ALARM", alarm.at("/state/value").asText());
    assertTrue(
        alarm.at("/state/reason").asText().contains("[300.0 (08/09/23 07:06:00)]"),
        alarm.at("/state/reason").asText());
    assertEquals(120, json(alarm.at("/state/reasonData").asText()).get("period").asInt());

    // 07:08-07:10 gets only its first minute; the clock completes it when it is overdue.
    datapoint("2023-09-08T07:08:00Z", 1.0);
    assertTrue(noStateChange());
    clock.set(Instant.parse("2023-09-08T07:11:00Z")); // 07:10 + 1 minute of grace
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    JsonNode ok = json(stateChanges.readValue());
    assertEquals("OK", ok.at("/state/value").asText());
    assertTrue(
        ok.at("/state/reason").asText().contains("[1.0 (08/09/23 07:08:00)]"),
        ok.at("/state/reason").asText());
    // A straggler for an evaluated period is too late to count.
    datapoint("2023-09-08T07:09:00Z", 900.0);
    assertTrue(noStateChange());
  }

  @Test
  void aSparseTenSecondPeriodShouldBeEvaluatedAtItsEndPlusTheHighResolutionGrace() {
    AlarmDefinition tenSeconds =
        Definitions.metric("ten-seconds", "GreaterThanThreshold", 100.0, 10, 1, 1, "missing");
    command(new AlarmCommand(AlarmCommand.PUT, tenSeconds, null, null), "ten-seconds", "c1");
    // The period 07:07:20-07:07:30 gets one breaching second, its second second, and nothing
    // after: no datapoint of its last second will ever come.
    datapoint("2023-09-08T07:07:21Z", 500.0, 1);
    clock.set(Instant.parse("2023-09-08T07:07:34.999Z"));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertTrue(noStateChange(), "before the end plus the 1-second tier's grace: not final yet");
    clock.set(Instant.parse("2023-09-08T07:07:35Z")); // 07:07:30 + 5 s of grace
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    JsonNode alarm = json(stateChanges.readValue());
    assertEquals("ALARM", alarm.at("/state/value").asText());
    assertTrue(
        alarm.at("/state/reason").asText().contains("[500.0 (08/09/23 07:07:20)]"),
        alarm.at("/state/reason").asText());
  }

  @Test
  void aMinutePeriodWithoutDataShouldBeEvaluatedAtItsEndPlusTheGrace() {
    AlarmDefinition minute =
        Definitions.metric("minute", "GreaterThanThreshold", 100.0, 60, 1, 1, "breaching");
    command(new AlarmCommand(AlarmCommand.PUT, minute, null, null), "minute", "c1");
    assertEquals("ALARM", json(stateChanges.readValue()).at("/state/value").asText());
    datapoint("2023-09-08T07:07:00Z", 1.0); // 07:07 had data; no minute after it has any
    assertEquals("OK", json(stateChanges.readValue()).at("/state/value").asText());
    // 07:07 stays in the evaluation range (1 + 2 periods) up to the period 07:09; the period
    // 07:10-07:11, the first without it, is final at 07:11 + 60 s of grace.
    clock.set(Instant.parse("2023-09-08T07:11:59.999Z"));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertTrue(noStateChange());
    clock.set(Instant.parse("2023-09-08T07:12:00Z"));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    JsonNode missing = json(stateChanges.readValue());
    assertEquals("ALARM", missing.at("/state/value").asText());
    assertTrue(
        missing.at("/state/reason").asText().contains("treated as [Breaching]"),
        missing.at("/state/reason").asText());
  }

  @Test
  void setAlarmStateShouldHoldUntilTheNextEvaluation() {
    command(
        new AlarmCommand(AlarmCommand.PUT, Definitions.lab(), null, null),
        Definitions.LAB_ALARM,
        "c1");
    datapoint("2023-09-08T07:06:00Z", 5.0);
    assertEquals("OK", json(stateChanges.readValue()).at("/state/value").asText());
    command(
        new AlarmCommand(
            AlarmCommand.SET_STATE,
            null,
            new AlarmState("ALARM", "testing", null, 0, 0, true),
            null),
        Definitions.LAB_ALARM,
        "c2");
    JsonNode manual = json(stateChanges.readValue());
    assertEquals("ALARM", manual.at("/state/value").asText());
    assertEquals("testing", manual.at("/state/reason").asText());
    datapoint("2023-09-08T07:07:00Z", 6.0);
    assertEquals("OK", json(stateChanges.readValue()).at("/state/value").asText());
  }

  @Test
  void updateShouldKeepTheStateAndDeleteShouldAnswerWithATombstone() {
    AlarmDefinition lab = Definitions.lab();
    command(new AlarmCommand(AlarmCommand.PUT, lab, null, null), lab.alarmName(), "c1");
    datapoint("2023-09-08T07:06:00Z", 248827.87525987526);
    alarms.readValuesToList();
    AlarmDefinition raised =
        Definitions.metric(lab.alarmName(), "GreaterThanThreshold", 500000.0, 60, 1, 1, "missing");
    command(new AlarmCommand(AlarmCommand.PUT, raised, null, null), lab.alarmName(), "c2");
    JsonNode updated = json(alarms.readValue());
    assertEquals("ALARM", updated.at("/state/value").asText(), "an update keeps the state");
    assertEquals(500000.0, updated.at("/definition/threshold").asDouble());
    command(new AlarmCommand(AlarmCommand.DELETE, null, null, null), lab.alarmName(), "c3");
    var tombstone = alarms.readRecord();
    assertNull(tombstone.value());
    assertEquals("c3", ProtocolHeaders.get(tombstone.headers(), EventHeaders.COMMAND_ID));
    command(new AlarmCommand(AlarmCommand.DELETE, null, null, null), lab.alarmName(), "c4");
    var missing = alarms.readRecord();
    assertTrue(ProtocolHeaders.get(missing.headers(), EventHeaders.COMMAND_ERROR).contains("404"));
    List<String> kinds =
        history.readValuesToList().stream()
            .map(h -> json(h).get("historySummary").asText())
            .toList();
    assertTrue(kinds.contains("Alarm \"" + lab.alarmName() + "\" deleted"), kinds.toString());
  }

  @Test
  void compositeShouldFollowItsChildrenAcrossTheSignalsTopic() {
    AlarmDefinition a = Definitions.metric("a", "GreaterThanThreshold", 1.0, 60, 1, 1, "missing");
    AlarmDefinition b =
        new AlarmDefinition(
            "b",
            AlarmDefinition.METRIC,
            null,
            "Portico/Lab",
            "Other",
            List.of(),
            "Sum",
            null,
            null,
            60,
            1,
            1,
            1.0,
            "GreaterThanThreshold",
            "missing",
            null,
            true,
            List.of(),
            List.of(),
            List.of(),
            0,
            null);
    command(new AlarmCommand(AlarmCommand.PUT, a, null, null), "a", "c1");
    command(new AlarmCommand(AlarmCommand.PUT, b, null, null), "b", "c2");
    AlarmDefinition both =
        new AlarmDefinition(
            "both",
            AlarmDefinition.COMPOSITE,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "ALARM(a) AND NOT OK(b)",
            true,
            List.of(),
            List.of(),
            List.of(),
            0,
            null);
    command(
        new AlarmCommand(
            AlarmCommand.PUT,
            both,
            null,
            Map.of(
                "a", new ChildState("INSUFFICIENT_DATA", 0),
                "b", new ChildState("INSUFFICIENT_DATA", 0))),
        "both",
        "c3");
    stateChanges.readValuesToList();
    datapoint("2023-09-08T07:06:00Z", 5.0); // a -> ALARM (VolumeWriteBytes with dims)
    List<JsonNode> changes =
        stateChanges.readValuesToList().stream().map(AlarmTopologyTest::json).toList();
    assertEquals("a", changes.get(0).get("alarmName").asText());
    assertEquals("both", changes.get(1).get("alarmName").asText());
    assertEquals("ALARM", changes.get(1).at("/state/value").asText());
    assertTrue(changes.get(1).at("/state/reason").asText().startsWith("a transitioned to ALARM"));
  }
}
