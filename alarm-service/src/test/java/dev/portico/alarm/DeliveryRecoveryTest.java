package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Email is sent once per (transition, subscription) whatever fails in between: the SMTP server
 * being down, alarm-service restarting between the transition and the delivery, or dying in the
 * middle of an attempt. Without SMTP, messages are kept and listed.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class DeliveryRecoveryTest {
  static final String TOPIC = "ops-alarms";
  final int smtpPort = FreePorts.forRebinding(); // the SMTP server stops and starts again
  final MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));
  GreenMail mail;

  GreenMail smtpUp() {
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  void smtpDown() {
    mail.stop();
  }

  /** Retries every 100-300 ms, so a test sees several attempts quickly. */
  AlarmHarness harness(TestKafka kafka) {
    return new AlarmHarness(kafka, clock)
        .smtp(smtpPort)
        .with("PORTICO_ALARM_DELIVERY_QUICK_RETRIES", "0")
        .with("PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS", "100")
        .with("PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS", "300");
  }

  @AfterEach
  void stopSmtp() {
    if (mail != null) {
      mail.stop();
    }
  }

  /** The alarm's delivery, if the outbox has it in {@code status} now. */
  static JsonNode alarmDelivery(AlarmHarness alarms, String alarm, String status) {
    for (JsonNode d : Lab.deliveries(alarms, "?Topic=" + TOPIC + "&Status=" + status)) {
      if (alarm.equals(d.path("AlarmName").asText())) {
        return d;
      }
    }
    return null;
  }

  static int attempts(AlarmHarness alarms, String alarm) {
    for (JsonNode d : Lab.deliveries(alarms, "?Topic=" + TOPIC)) {
      if (alarm.equals(d.path("AlarmName").asText())) {
        return d.get("Attempts").asInt();
      }
    }
    return 0;
  }

  @Test
  void shouldDeliverOnceWhenTheSmtpServerComesBack(TestKafka kafka) {
    try (AlarmHarness alarms = harness(kafka).start()) {
      smtpUp();
      Lab.topic(alarms, TOPIC);
      Lab.confirmedEmail(alarms, mail, TOPIC, "oncall@example.com");
      Lab.alarm(alarms, "disk-full", TOPIC);
      smtpDown();

      Lab.setState(alarms, "disk-full", "ALARM");
      // Caught between two attempts: RETRYING, with the reason and the count so far.
      JsonNode retrying =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> alarmDelivery(alarms, "disk-full", "RETRYING"),
                  d -> d != null && d.get("Attempts").asInt() >= 3);
      assertTrue(
          retrying.get("LastError").asText().contains("Connection refused"), retrying.toString());

      smtpUp();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> Mailbox.withSubjectPrefix(mail, "oncall@example.com", "ALARM: ").size() == 1);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> Mailbox.withSubjectPrefix(mail, "oncall@example.com", "ALARM: ").size() == 1);
      JsonNode delivered =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> alarmDelivery(alarms, "disk-full", "DELIVERED"), d -> d != null);
      assertTrue(delivered.get("Attempts").asInt() >= 4, delivered.toString());
      assertTrue(
          alarms
              .call("GET", "/metrics", null)
              .body()
              .contains("portico_alarm_deliveries_total{outcome=\"retried\",protocol=\"email\""));
    }
  }

  @Test
  void shouldDeliverExactlyOnceWhenRestartedBetweenTransitionAndDelivery(TestKafka kafka) {
    try (AlarmHarness alarms = harness(kafka).start()) {
      smtpUp();
      Lab.topic(alarms, TOPIC);
      Lab.confirmedEmail(alarms, mail, TOPIC, "restart@example.com");
      Lab.alarm(alarms, "restart-alarm", TOPIC);
      smtpDown();
      Lab.setState(alarms, "restart-alarm", "ALARM");
      await().atMost(Duration.ofSeconds(20)).until(() -> attempts(alarms, "restart-alarm") >= 1);

      alarms.stop(); // the transition is committed, its email is not sent
      smtpUp();
      alarms.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Mailbox.withSubjectPrefix(mail, "restart@example.com", "ALARM: ").size() == 1);

      // Once delivered, another restart sends nothing again.
      alarms.stop();
      alarms.start();
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(6))
          .until(
              () -> Mailbox.withSubjectPrefix(mail, "restart@example.com", "ALARM: ").size() == 1);
      JsonNode alarm = alarms.expect(200, "GET", "/alarms/restart-alarm", null);
      assertEquals("ALARM", alarm.get("StateValue").asText(), "the state survived both restarts");
    }
  }

  @Test
  void shouldResendADeliveryInterruptedMidSendOnceAndCountIt(TestKafka kafka) throws Exception {
    smtpUp();
    try (AlarmHarness alarms = harness(kafka).start()) {
      Lab.topic(alarms, TOPIC);
      String sub = Lab.confirmedEmail(alarms, mail, TOPIC, "crash@example.com");
      alarms.stop();
      // What a replica that died after recording SENDING leaves behind.
      Delivery interrupted =
          new Delivery(
              "crashed-message." + sub,
              Delivery.NOTIFICATION,
              "crashed-message",
              TOPIC,
              sub,
              "email",
              "crash@example.com",
              "Portico Notifications",
              "ALARM: \"crashed\" in Portico",
              "body",
              null,
              clock.millis(),
              Delivery.SENDING,
              1,
              null,
              null,
              clock.millis());
      // Written in a transaction, as the outbox is: the partition then ends with a transaction
      // marker, which a reader never receives as a record.
      Map<String, Object> p = new HashMap<>();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crashed-replica-" + UUID.randomUUID());
      try (var producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>(
                alarms.env.get("PORTICO_TOPIC_PREFIX") + "notifications.deliveries",
                interrupted.deliveryId(),
                Json.toBytes(interrupted)));
        producer.commitTransaction();
      }
      alarms.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Mailbox.withSubjectPrefix(mail, "crash@example.com", "ALARM: ").size() == 1);
      Mailbox.Mail resent = Mailbox.withSubjectPrefix(mail, "crash@example.com", "ALARM: ").get(0);
      assertEquals("<crashed-message." + sub + "@portico>", resent.messageId());
      assertTrue(
          alarms
              .call("GET", "/metrics", null)
              .body()
              .contains("portico_alarm_deliveries_ambiguous_total"));
    }
  }

  @Test
  void shouldKeepEmailAndListItWhenNoSmtpServerIsConfigured(TestKafka kafka) {
    try (AlarmHarness alarms = new AlarmHarness(kafka, clock).start()) {
      Lab.topic(alarms, TOPIC);
      Lab.subscribe(alarms, TOPIC, "email", "local@example.com");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lab.deliveries(alarms, "?Status=HELD").size() == 1);
      JsonNode held = Lab.deliveries(alarms, "?Status=HELD").get(0);
      assertEquals("SubscriptionConfirmation", held.get("Kind").asText());
      String body = held.get("Body").asText();
      String link =
          body.substring(body.indexOf("http://"), body.indexOf('\n', body.indexOf("http://")));
      assertEquals(200, AlarmHarness.get(link).statusCode());

      Lab.alarm(alarms, "local-alarm", TOPIC);
      Lab.setState(alarms, "local-alarm", "ALARM");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lab.deliveries(alarms, "?Status=HELD").size() == 2);
      JsonNode alarmMail = Lab.deliveries(alarms, "?Status=HELD").get(0);
      assertEquals("ALARM: \"local-alarm\" in Portico", alarmMail.get("Subject").asText());
      assertTrue(alarmMail.get("Body").asText().contains("testing the notification"));
      assertTrue(alarmMail.get("LastError").asText().contains("PORTICO_SMTP_HOST"));
    }
  }

  @Test
  void shouldDeadLetterAfterTheLastAttempt(TestKafka kafka) {
    try (AlarmHarness alarms =
        harness(kafka).with("PORTICO_ALARM_DELIVERY_MAX_ATTEMPTS", "3").start()) {
      smtpUp();
      Lab.topic(alarms, TOPIC);
      Lab.confirmedEmail(alarms, mail, TOPIC, "dead@example.com");
      Lab.alarm(alarms, "dead-alarm", TOPIC);
      smtpDown();
      Lab.setState(alarms, "dead-alarm", "ALARM");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lab.deliveries(alarms, "?Status=DEAD").size() == 1);
      assertEquals(3, Lab.deliveries(alarms, "?Status=DEAD").get(0).get("Attempts").asInt());

      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-reader-" + UUID.randomUUID());
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (var consumer =
          new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(
            List.of(alarms.env.get("PORTICO_TOPIC_PREFIX") + "notifications.dead-letters"));
        List<String> dead = new java.util.ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(r -> dead.add(r.value()));
                  return dead.size() == 1;
                });
        assertTrue(dead.get(0).contains("\"status\":\"DEAD\""), dead.get(0));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  alarms
                      .expect(
                          200,
                          "GET",
                          "/alarm-history?AlarmName=dead-alarm&HistoryItemType=Action",
                          null)
                      .toString()
                      .contains(
                          "Failed to deliver notification to dead@example.com (email) after 3 attempts"));
    }
  }
}
