package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Triggers against a real broker: the source's welcome email (an INSERT of a customer with an
 * {@code email} publishes to the {@code welcome} notification topic), asserted on the notification
 * records alarm-service would fan out; once per record, also across a restart of stream-service.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class TriggerTest {
  private static final String WELCOME =
      """
      {"on": ["INSERT"],
       "filter": {"attribute": "email", "exists": true},
       "action": {"publish": {"topic": "welcome",
                              "subject": "Welcome, ${NewImage.customer_name}!",
                              "body": "Hello ${NewImage.customer_name} <${NewImage.email}>, \
      your id is ${Keys.customer_id}."}}}
      """;

  private static byte[] change(StreamHarness stream, String event, String key, String email) {
    String seq = stream.nextSequence(0);
    ObjectNode image = Json.MAPPER.createObjectNode().put("customer_id", key);
    image.put("customer_name", "Name of " + key);
    if (email != null) {
      image.put("email", email);
    }
    ObjectNode record =
        Json.MAPPER
            .createObjectNode()
            .put("eventID", UUID.nameUUIDFromBytes(("customers/0/" + seq).getBytes()).toString())
            .put("eventName", event)
            .put("eventVersion", "1.1")
            .put("eventSource", "portico:customer-service");
    ObjectNode dynamodb = record.putObject("dynamodb");
    dynamodb.putObject("Keys").put("customer_id", key);
    dynamodb.set(event.equals("REMOVE") ? "OldImage" : "NewImage", image);
    dynamodb.put("SequenceNumber", seq).put("StreamViewType", "NEW_AND_OLD_IMAGES");
    return Json.toBytes(record);
  }

  /** Every committed notification record, read continuously in the background of the test. */
  private static List<JsonNode> follow(StreamHarness stream, List<AutoCloseable> closers) {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stream.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(stream.prefix + Topics.NOTIFICATION_MESSAGES.suffix()));
    Thread thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  consumer
                      .poll(Duration.ofMillis(100))
                      .forEach(
                          r -> {
                            try {
                              seen.add(Json.MAPPER.readTree(r.value()));
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                          });
                }
              } catch (org.apache.kafka.common.errors.InterruptException e) {
                // test over
              } finally {
                consumer.close();
              }
            });
    thread.setDaemon(true);
    thread.start();
    closers.add(thread::interrupt);
    return seen;
  }

  @Test
  void aWelcomeNotificationOncePerInsertedCustomerWithAnEmailAlsoAcrossARestart(TestKafka kafka)
      throws Exception {
    List<AutoCloseable> closers = new CopyOnWriteArrayList<>();
    try (StreamHarness stream = new StreamHarness(kafka)) {
      List<JsonNode> notes = follow(stream, closers);
      var put = stream.put("/triggers/welcome", WELCOME);
      assertEquals(200, put.status(), put.body().toString());
      assertEquals("welcome", stream.get("/triggers/welcome").body().get("name").asText());

      stream.commitRaw(0, "ada", change(stream, "INSERT", "ada", "ada@example.com"));
      stream.commitRaw(0, "bob", change(stream, "INSERT", "bob", null)); // no email: no welcome
      stream.commitRaw(0, "ada", change(stream, "MODIFY", "ada", "ada@example.org")); // not INSERT
      stream.commitRaw(0, "eve", change(stream, "INSERT", "eve", "eve@example.com"));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> notes.size() >= 2);
      JsonNode first = notes.get(0);
      assertEquals("welcome", first.get("topicName").asText());
      assertEquals("Welcome, Name of ada!", first.get("subject").asText());
      assertEquals(
          "Hello Name of ada <ada@example.com>, your id is ada.", first.get("message").asText());
      assertEquals("Welcome, Name of eve!", notes.get(1).get("subject").asText());

      // Restart: changes written while the service is down are processed once, and none of the
      // earlier ones again (their offsets were committed with their notifications).
      stream.stopService();
      stream.commitRaw(0, "kim", change(stream, "INSERT", "kim", "kim@example.com"));
      stream.commitRaw(1, "lee", change(stream, "INSERT", "lee", "lee@example.com"));
      stream.start();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> notes.size() >= 4);
      // A sentinel after everything: once it is seen, nothing earlier can still be coming.
      stream.commitRaw(0, "zed", change(stream, "INSERT", "zed", "zed@example.com"));
      stream.commitRaw(1, "zoe", change(stream, "INSERT", "zoe", "zoe@example.com"));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> notes.size() >= 6);
      List<String> subjects = notes.stream().map(n -> n.get("subject").asText()).sorted().toList();
      assertEquals(
          List.of(
              "Welcome, Name of ada!",
              "Welcome, Name of eve!",
              "Welcome, Name of kim!",
              "Welcome, Name of lee!",
              "Welcome, Name of zed!",
              "Welcome, Name of zoe!"),
          subjects);
      assertEquals(6, notes.stream().map(n -> n.get("messageId").asText()).distinct().count());
      var metrics = stream.getText("/metrics");
      assertTrue(metrics.contains("portico_stream_trigger_notifications_total"), metrics);

      assertEquals(204, stream.delete("/triggers/welcome").status());
      assertEquals(404, stream.get("/triggers/welcome").status());
      assertEquals(404, stream.delete("/triggers/welcome").status());
    } finally {
      for (AutoCloseable c : closers) {
        c.close();
      }
    }
  }

  /**
   * Customers keep being inserted while stream-service stops and starts again (the stop lands
   * mid-way through the stream, with batches in flight): every inserted customer's welcome
   * notification is published exactly once, none lost, none repeated. One notification (one {@code
   * messageId}) is one email per confirmed subscription: alarm-service keys its deliveries by
   * message id + subscription.
   */
  @Test
  void aWelcomeEmailOncePerInsertedCustomerAlsoWhenStreamServiceRestartsMidWay(TestKafka kafka)
      throws Exception {
    List<AutoCloseable> closers = new CopyOnWriteArrayList<>();
    try (StreamHarness stream = new StreamHarness(kafka)) {
      List<JsonNode> notes = follow(stream, closers);
      assertEquals(200, stream.put("/triggers/welcome", WELCOME).status());
      List<String> inserted = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get() && i < 100_000; i++) {
                    String key = "c" + i;
                    stream.commitRaw(
                        i % 2, key, change(stream, "INSERT", key, key + "@example.com"));
                    inserted.add(key);
                    // A MODIFY now and then: never a welcome.
                    if (i % 5 == 0) {
                      stream.commitRaw(
                          i % 2, key, change(stream, "MODIFY", key, key + "@example.org"));
                    }
                  }
                } catch (Throwable e) {
                  failed.set(e);
                }
              },
              "test-writer");
      writer.start();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> notes.size() >= 20);
      stream.stopService();
      int insertedWhileStopping = inserted.size();
      stream.start();
      int insertedAtRestart = inserted.size();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> inserted.size() >= insertedAtRestart + 20);
      stop.set(true);
      writer.join(30_000);
      System.out.printf(
          "%d changes: %d until the stop completed, %d while down%n",
          inserted.size(), insertedWhileStopping, insertedAtRestart - insertedWhileStopping);
      assertEquals(null, failed.get());
      assertTrue(insertedAtRestart > insertedWhileStopping, "customers inserted while it was down");

      // Sentinels after everything, on both partitions: once both are seen, every earlier
      // notification is too (all go to one partition of the messages topic, in commit order).
      stream.commitRaw(0, "zed", change(stream, "INSERT", "zed", "zed@example.com"));
      stream.commitRaw(1, "zoe", change(stream, "INSERT", "zoe", "zoe@example.com"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  notes.stream()
                          .map(n -> n.get("subject").asText())
                          .filter(
                              s ->
                                  s.equals("Welcome, Name of zed!")
                                      || s.equals("Welcome, Name of zoe!"))
                          .count()
                      == 2);
      List<String> expected = new ArrayList<>(inserted);
      expected.add("zed");
      expected.add("zoe");
      List<String> welcomed =
          notes.stream()
              .map(n -> n.get("subject").asText().replaceAll("^Welcome, Name of (.*)!$", "$1"))
              .toList();
      assertEquals(Set.copyOf(expected), Set.copyOf(welcomed), "every inserted customer welcomed");
      assertEquals(expected.size(), welcomed.size(), "and each once");
      assertEquals(
          expected.size(), notes.stream().map(n -> n.get("messageId").asText()).distinct().count());
    } finally {
      for (AutoCloseable c : closers) {
        c.close();
      }
    }
  }

  @Test
  void invalidRulesAreRefusedNamingTheProblem(TestKafka kafka) {
    try (StreamHarness stream = new StreamHarness(kafka)) {
      Map<String, String> bad =
          Map.of(
              "{\"on\":[\"UPSERT\"],\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"b\"}}}",
              "is not INSERT, MODIFY or REMOVE",
              "{\"on\":[\"INSERT\"]}",
              "action must be",
              "{\"on\":[\"INSERT\"],\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"${Foo.x}\"}}}",
              "unknown placeholder ${Foo.x}",
              "{\"on\":[\"INSERT\"],\"filter\":{\"attribute\":\"email\"},"
                  + "\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"b\"}}}",
              "exactly one of exists",
              "{\"on\":[\"INSERT\"],\"action\":{\"publish\":{\"topic\":\"t\"}}}",
              "action.publish.body is required",
              "{\"on\":[\"INSERT\"],\"x\":1,\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"b\"}}}",
              "Unknown field(s) [x]",
              "not json",
              "not valid JSON");
      bad.forEach(
          (body, message) -> {
            var reply = stream.put("/triggers/t1", body);
            assertEquals(400, reply.status(), body);
            assertTrue(reply.message().contains(message), reply.message() + " / " + message);
          });
      assertEquals(0, stream.get("/triggers").body().get("triggers").size());
    }
  }
}
