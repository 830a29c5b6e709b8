package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two alarm-service replicas on one broker and one SMTP server: every datapoint reaches both, yet a
 * transition is made, recorded and emailed once; when the replica that owns the alarm stops, the
 * other takes its partitions over and the next transition is again emailed exactly once.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(300)
@Tag("integration")
class AlarmReplicasTest {
  static final String TOPIC = "replicated-alarms";
  static final String ALARM = "replicated-volume-alarm";
  static final String SUBSCRIBER = "oncall@example.com";
  static final Map<String, String> VOLUME = Map.of("VolumeId", "vol-00f66de5615226721");

  final int smtpPort = FreePorts.next();
  final GreenMail mail =
      new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @AfterEach
  void stopSmtp() {
    mail.stop();
  }

  @Test
  void shouldTransitionAndEmailOnceWithTwoReplicasAndAfterOneStops(TestKafka kafka) {
    mail.start();
    MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));
    String prefix = kafka.freshPrefix();
    try (AlarmHarness a = replica(kafka, clock, prefix).start();
        AlarmHarness b = replica(kafka, clock, prefix).start()) {
      // Both replicas hold tasks of the one application (2 partitions, 2 replicas).
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !a.service().activePartitions().isEmpty()
                      && !b.service().activePartitions().isEmpty());
      Lab.topic(a, TOPIC);
      Lab.confirmedEmail(b, mail, TOPIC, SUBSCRIBER);
      Lab.alarm(a, ALARM, TOPIC);

      a.datapoint("Portico/Lab", "VolumeWriteBytes", VOLUME, 60, "2023-09-08T07:06:00Z", 248827.9);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "ALARM: ").size() == 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "ALARM: ").size() == 1);
      for (AlarmHarness replica : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> stateUpdates(replica).size() == 1);
        assertEquals(
            List.of("Alarm updated from INSUFFICIENT_DATA to ALARM"), stateUpdates(replica));
        assertEquals(
            "ALARM",
            replica.expect(200, "GET", "/alarms/" + ALARM, null).get("StateValue").asText());
      }

      // Stop the replica that owns the alarm: the other one takes its partitions over.
      String partition = prefix + "alarms.commands-" + partitionOf(ALARM, 2);
      AlarmHarness owner = a.service().activePartitions().contains(partition) ? a : b;
      AlarmHarness survivor = owner == a ? b : a;
      assertTrue(owner.service().activePartitions().contains(partition));
      assertTrue(!survivor.service().activePartitions().contains(partition));
      owner.stop();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> survivor.service().activePartitions().contains(partition));

      survivor.datapoint(
          "Portico/Lab", "VolumeWriteBytes", VOLUME, 60, "2023-09-08T07:07:00Z", 1024.0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "OK: ").size() == 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Mailbox.to(mail, SUBSCRIBER).size() == 3);
      assertEquals(
          List.of(
              "Portico Notification - Subscription Confirmation",
              "ALARM: \"" + ALARM + "\" in Portico",
              "OK: \"" + ALARM + "\" in Portico"),
          Mailbox.to(mail, SUBSCRIBER).stream().map(Mailbox.Mail::subject).toList());
      List<String> ids =
          Mailbox.to(mail, SUBSCRIBER).stream().map(Mailbox.Mail::messageId).toList();
      assertNotEquals(ids.get(1), ids.get(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> stateUpdates(survivor).size() == 2);
      assertEquals(
          List.of(
              "Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
          stateUpdates(survivor));
      JsonNode alarm = survivor.expect(200, "GET", "/alarms/" + ALARM, null);
      assertEquals("OK", alarm.get("StateValue").asText());
    }
  }

  AlarmHarness replica(TestKafka kafka, MutableClock clock, String prefix) {
    return new AlarmHarness(kafka, clock, prefix).smtp(smtpPort);
  }

  /** The alarm's StateUpdate summaries, newest first, from this replica's view. */
  static List<String> stateUpdates(AlarmHarness replica) {
    JsonNode items =
        replica
            .expect(
                200,
                "GET",
                "/alarm-history?AlarmName=" + ALARM + "&HistoryItemType=StateUpdate",
                null)
            .get("AlarmHistoryItems");
    return StreamSupport.stream(items.spliterator(), false)
        .map(i -> i.get("HistorySummary").asText())
        .toList();
  }

  /** The partition the default partitioner gives a key, as the API's commands are keyed. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
