package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table service's state lives in Kafka: a replica restarted on its own state directory, one
 * started on an empty one, and one upgraded from the Kafka Streams layout of earlier versions all
 * serve the same items.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(240)
@Tag("integration")
class TableStateEndToEndTest {
  private static final String ITEM =
      "{\"customer_id\":\"%s\",\"customer_name\":\"KilDong\",\"price\":%d}";

  @Test
  void shouldServeEveryItemAfterARestartOnItsOwnStateAndOnAnEmptyOne(
      TestKafka kafka, @TempDir Path state, @TempDir Path emptyState) throws Exception {
    String prefix = kafka.freshPrefix();
    try (Suite suite = new Suite(kafka.bootstrapServers(), prefix, state, 10_000).start()) {
      for (int i = 0; i < 30; i++) {
        assertEquals(
            201,
            Http.postJson(suite.url("/prod/customer"), ITEM.formatted("st-" + i, i)).statusCode());
      }
      assertEquals(
          200,
          Http.postJson(suite.url("/prod/customer"), ITEM.formatted("st-7", 700)).statusCode());

      suite.stopCustomers();
      suite.startCustomers(); // same state directory
      assertItems(suite, 30);
      assertEquals(
          "\"2\"",
          Http.get(suite.url("/prod/customer/st-7")).headers().firstValue("etag").orElse(""));

      suite.stopCustomers();
      suite.env.put("PORTICO_CUSTOMER_STATE_DIR", emptyState.toString());
      suite.startCustomers(); // nothing local: everything from the changelog
      assertItems(suite, 30);
      JsonNode updated = Json.MAPPER.readTree(Http.get(suite.url("/prod/customer/st-7")).body());
      assertEquals(700, updated.get("price").asInt());
      // Sequence numbers carry on above the ones already used: a new change is newer.
      assertEquals(
          200,
          Http.postJson(suite.url("/prod/customer"), ITEM.formatted("st-7", 701)).statusCode());
    }
  }

  @Test
  void shouldImportATableKeptByTheKafkaStreamsLayoutOfEarlierVersions(
      TestKafka kafka, @TempDir Path state) throws Exception {
    String prefix = kafka.freshPrefix();
    String legacy = prefix + "portico-customer-service";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              java.util.List.of(
                  new NewTopic(legacy + "-customers-changelog", 4, (short) 1),
                  new NewTopic(legacy + "-customers-sequences-changelog", 4, (short) 1)))
          .all()
          .get();
    }
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 20; i++) {
        String id = "old-" + i;
        // The partition the default partitioner gives the key: where Streams kept it.
        int partition =
            org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(
                        id.getBytes(StandardCharsets.UTF_8)))
                % 4;
        String stored = "{\"item\":" + ITEM.formatted(id, i) + ",\"version\":3}";
        producer.send(
            new ProducerRecord<>(
                legacy + "-customers-changelog",
                partition,
                id,
                stored.getBytes(StandardCharsets.UTF_8)));
        producer.send(
            new ProducerRecord<>(
                legacy + "-customers-sequences-changelog",
                partition,
                "last",
                ByteBuffer.allocate(8).putLong(1_000_000_000L).array()));
      }
    }
    try (Suite suite = new Suite(kafka.bootstrapServers(), prefix, state, 10_000).start()) {
      HttpResponse<String> old = Http.get(suite.url("/prod/customer/old-5"));
      assertEquals(200, old.statusCode(), old.body());
      assertEquals(
          "\"3\"", old.headers().firstValue("etag").orElse(""), "the version carries over");
      assertEquals(5, Json.MAPPER.readTree(old.body()).get("price").asInt());
      assertItems(suite, 20, "old-");
      // Writes go on from the imported state, with sequence numbers above the imported ones.
      assertEquals(
          200,
          Http.postJson(suite.url("/prod/customer"), ITEM.formatted("old-5", 55)).statusCode());
      assertEquals(
          "\"4\"",
          Http.get(suite.url("/prod/customer/old-5")).headers().firstValue("etag").orElse(""));
    }
  }

  private static void assertItems(Suite suite, int count) throws Exception {
    assertItems(suite, count, "st-");
  }

  private static void assertItems(Suite suite, int count, String idPrefix) throws Exception {
    int found = 0;
    String cursor = null;
    do {
      String url =
          suite.url("/prod/customer?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      JsonNode page = Json.MAPPER.readTree(Http.get(url).body());
      for (JsonNode item : page.get("items")) {
        if (item.get("customer_id").asText().startsWith(idPrefix)) {
          found++;
        }
      }
      cursor =
          page.hasNonNull("nextCursor")
              ? java.net.URLEncoder.encode(page.get("nextCursor").asText(), StandardCharsets.UTF_8)
              : null;
    } while (cursor != null);
    assertEquals(count, found);
    assertTrue(found > 0);
  }
}
