package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.stream.ChannelMessages.Source;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the fan-out publishes for a record, without a broker. */
class ChannelMessagesTest {
  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldPublishAChangeOnTheTableAndItemChannelsWithTheRecordUnchanged() throws Exception {
    String record =
        """
        {"eventID":"e-1","eventName":"INSERT","dynamodb":{"Keys":{"customer_id":"1230AWS"},\
        "NewImage":{"customer_id":"1230AWS","price":1.10,"big":12345678901234567890123}}}""";
    List<ChannelMessage> messages = ChannelMessages.of(Source.CHANGES, "1230AWS", bytes(record));

    assertEquals(
        List.of("customers", "customers/1230AWS"),
        messages.stream().map(ChannelMessage::channel).toList());
    for (ChannelMessage message : messages) {
      assertEquals("e-1", message.eventId());
      // Serialized, the data is the record's own text: 1.10 stays 1.10.
      assertTrue(Json.toString(message).contains("\"data\":" + record), Json.toString(message));
    }
  }

  @Test
  void aTeamTablesChangeShouldGoToItsTableAndItemChannelsUnchanged() {
    String record =
        """
        {"eventID":"e-3","eventName":"MODIFY","dynamodb":{"Keys":{"customer":{"S":"c1"},\
        "placed_at":{"N":"1.5"}},"NewImage":{"customer":{"S":"c1"},"placed_at":{"N":"1.5"}}},\
        "eventSourceARN":"arn:aws:dynamodb:local:000000000000:table/Orders/stream/x"}""";
    List<ChannelMessage> messages =
        ChannelMessages.of(Source.TABLES, "Orders\u0000AzE=", bytes(record));

    assertEquals(
        List.of("tables/Orders", "tables/Orders/c1/1.5"),
        messages.stream().map(ChannelMessage::channel).toList());
    for (ChannelMessage message : messages) {
      assertEquals("e-3", message.eventId());
      assertTrue(Json.toString(message).contains("\"data\":" + record), Json.toString(message));
    }
    String binaryKey = "{\"eventID\":\"e-4\",\"dynamodb\":{\"Keys\":{\"id\":{\"B\":\"AAH/\"}}}}";
    assertEquals(
        "tables/Blobs/AAH/",
        ChannelMessages.of(Source.TABLES, "Blobs\u0000x", bytes(binaryKey)).get(1).channel());
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.TABLES, "no-table", bytes(record)));
  }

  @Test
  void shouldTakeTheItemFromTheKeysWhenTheRecordHasNoKey() {
    String record = "{\"eventID\":\"e-2\",\"dynamodb\":{\"Keys\":{\"customer_id\":\"k9\"}}}";
    assertEquals(
        "customers/k9", ChannelMessages.of(Source.CHANGES, null, bytes(record)).get(1).channel());
  }

  @Test
  void shouldRefuseRecordsThatAreNotWhatTheirTopicCarries() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.CHANGES, "k", bytes("not json")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.CHANGES, "k", bytes("{\"eventName\":\"INSERT\"}")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.ALARMS, "a", bytes("{\"alarmName\":\"a\"}")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.METRICS, "m", bytes("[1]")));
    assertEquals(List.of(), ChannelMessages.of(Source.CHANGES, "k", null), "a tombstone");
  }

  @Test
  void shouldIdentifyAnAlarmTransitionByAlarmStateAndTime() throws Exception {
    String ok =
        "{\"alarmName\":\"a\",\"state\":{\"value\":\"OK\",\"timestamp\":\"2026-01-01T00:00:00Z\"}}";
    String alarm =
        "{\"alarmName\":\"a\",\"state\":{\"value\":\"ALARM\",\"timestamp\":\"2026-01-01T00:01:00Z\"}}";
    ChannelMessage first = ChannelMessages.of(Source.ALARMS, "a", bytes(alarm)).get(0);
    ChannelMessage again = ChannelMessages.of(Source.ALARMS, "a", bytes(alarm)).get(0);
    ChannelMessage other = ChannelMessages.of(Source.ALARMS, "a", bytes(ok)).get(0);

    assertEquals("alarms", first.channel());
    assertEquals(first.eventId(), again.eventId(), "the same transition, the same id");
    assertNotEquals(first.eventId(), other.eventId());
    assertEquals(Json.MAPPER.readTree(alarm), Json.MAPPER.readTree(Json.toString(first.data())));
  }

  @Test
  void shouldNameMetricsChannelsInApiGatewayDimensionOrder() {
    assertEquals(
        Optional.of("metrics/ApiName=customer-api"),
        ChannelNames.metrics(Map.of("ApiName", "customer-api")));
    assertEquals(
        Optional.of("metrics/ApiName=a,Stage=prod,Method=GET,Resource=/x,Other=1,Zone=z"),
        ChannelNames.metrics(
            Map.of(
                "Zone",
                "z",
                "Resource",
                "/x",
                "Stage",
                "prod",
                "Other",
                "1",
                "Method",
                "GET",
                "ApiName",
                "a")));
    assertEquals(Optional.empty(), ChannelNames.metrics(Map.of()));
  }

  @Test
  void shouldPublishOnlyGatewayDatapointsWithMetricsServicesEventId() {
    MetricDatapoint gateway =
        new MetricDatapoint(
            "Portico/Gateway",
            "5XXError",
            Map.of("Stage", "prod", "ApiName", "api"),
            300,
            1_795_310_700_000L,
            4,
            1,
            0,
            1,
            "Count",
            null);
    List<ChannelMessage> messages =
        ChannelMessages.of(Source.METRICS, "ignored", Json.toBytes(gateway));
    assertEquals(1, messages.size());
    assertEquals("metrics/ApiName=api,Stage=prod", messages.get(0).channel());
    // metrics-service's id of this period (the datapoints topic's portico-event-id).
    assertEquals(
        UUID.nameUUIDFromBytes(
                "Portico/Gateway/5XXError/ApiName=api,Stage=prod|300|1795310700000".getBytes())
            .toString(),
        messages.get(0).eventId());
    JsonNode data = messages.get(0).data();
    assertEquals(0.25, data.get("Average").asDouble());
    assertEquals("2026-11-22T01:25:00Z", data.get("timestamp").asText());

    MetricDatapoint custom =
        new MetricDatapoint(
            "Shop", "Orders", Map.of("ApiName", "api"), 60, 0L, 1, 1, 1, 1, "Count", null);
    assertEquals(List.of(), ChannelMessages.of(Source.METRICS, "k", Json.toBytes(custom)));
  }

  @Test
  void shouldRefuseADatapointWhoseSketchIsNotADdSketch() {
    MetricDatapoint broken =
        new MetricDatapoint(
            "Portico/Gateway",
            "Latency",
            Map.of("ApiName", "api"),
            60,
            0L,
            1,
            1,
            1,
            1,
            "Milliseconds",
            "bm90IGEgc2tldGNo");
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelMessages.of(Source.METRICS, "k", Json.toBytes(broken)));
  }
}
