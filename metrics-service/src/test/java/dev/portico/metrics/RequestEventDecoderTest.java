package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.RequestEvent;
import dev.portico.metrics.ingest.GatewayMetrics;
import dev.portico.metrics.ingest.RequestEventDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The metrics' streaming decoder of request events reads what Jackson's data binding (the
 * contract's {@link JsonSerde}) reads, for every field the metrics use, and refuses what it
 * refuses.
 */
class RequestEventDecoderTest {
  final RequestEventDecoder decoder = new RequestEventDecoder();
  final JsonSerde<RequestEvent> serde = new JsonSerde<>(RequestEvent.class);

  @Test
  void shouldReadWhatTheDataBindingReadsForVariedEventsAsTheEdgeWritesThem() {
    Random random = new Random(11);
    String[] texts = {"shop", "prod", "/items/{id}", "é \"quoted\" \\ back\nslash", "日本", "", null};
    String[] eventTypes = {null, null, "CONNECT", "MESSAGE", "DISCONNECT", "LATE_REPLY", "PING"};
    String[] outcomes = {null, "OK", "ERROR", "MALFORMED", "TIMEOUT", "ACCEPTED", "THROTTLED"};
    Double[] durations = {null, 0.0, 12.5, 3e4};
    String[] errors = {null, "ClientError", "IntegrationError", "ExecutionError", "THROTTLED"};
    Boolean[] cache = {null, true, false};
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(
          new RequestEvent(
              pick(random, texts),
              random.nextLong(),
              pick(random, texts),
              pick(random, texts),
              pick(random, texts),
              random.nextBoolean(),
              pick(random, texts),
              pick(random, texts),
              pick(random, texts),
              pick(random, texts),
              new int[] {101, 200, 204, 403, 404, 429, 500, 503, 1000}[random.nextInt(9)],
              random.nextInt(3) == 0 ? 0 : Math.exp(random.nextGaussian() * 3),
              random.nextInt(3) == 0 ? 0 : random.nextDouble() * 1e4,
              pick(random, new String[] {null, "kafka", "http", "mock"}),
              pick(random, texts),
              random.nextLong(),
              pick(random, texts),
              pick(random, texts),
              pick(random, texts),
              pick(random, cache),
              pick(random, errors),
              pick(random, eventTypes),
              pick(random, texts),
              pick(random, texts),
              pick(random, outcomes),
              pick(random, durations)));
    }
    var metrics = new GatewayMetrics(false);
    for (RequestEvent event : events) {
      byte[] bytes = Json.toBytes(event);
      RequestEvent bound = serde.deserialize("t", bytes);
      RequestEvent read = decoder.deserialize("t", bytes);
      assertSameForMetrics(bound, read, new String(bytes, StandardCharsets.UTF_8));
      assertEquals(metrics.samples(bound), metrics.samples(read));
    }
  }

  @Test
  void shouldSkipUnknownFieldsAndCoerceAsTheDataBindingDoes() {
    for (String json :
        List.of(
            "{\"future\":{\"nested\":[1,{\"a\":[]}],\"x\":null},\"api\":\"shop\",\"stage\":\"prod\","
                + "\"time\":1795310880000,\"status\":404,\"more\":[[\"x\"]],\"latencyMs\":1.5}",
            "{\"api\":\"shop\",\"status\":\"503\",\"latencyMs\":\"12.25\",\"time\":\"17\","
                + "\"cacheHit\":\"true\",\"integrationLatencyMs\":null}",
            "{\"api\":\"shop\",\"status\":null,\"latencyMs\":7,\"cacheHit\":false,\"method\":7}",
            "{}",
            " {\"api\" : \"a\" , \"eventType\" : \"MESSAGE\" , \"routeKey\" : \"$default\" } ")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertSameForMetrics(serde.deserialize("t", bytes), decoder.deserialize("t", bytes), json);
    }
    assertNull(decoder.deserialize("t", "null".getBytes(StandardCharsets.UTF_8)));
    assertNull(serde.deserialize("t", "null".getBytes(StandardCharsets.UTF_8)));
    assertNull(decoder.deserialize("t", null));
  }

  @Test
  void shouldRefuseWhatTheDataBindingRefuses() {
    for (String json :
        List.of(
            "[1,2]",
            "\"text\"",
            "{\"api\":\"shop\"} {}",
            "{\"api\":{\"name\":\"shop\"}}",
            "{\"status\":[404]}",
            "{\"api\":\"shop\"",
            "not json",
            "")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes), json);
      assertThrows(SerializationException.class, () -> decoder.deserialize("t", bytes), json);
    }
  }

  private static void assertSameForMetrics(RequestEvent bound, RequestEvent read, String json) {
    assertEquals(bound.time(), read.time(), json);
    assertEquals(bound.api(), read.api(), json);
    assertEquals(bound.stage(), read.stage(), json);
    assertEquals(bound.routeKey(), read.routeKey(), json);
    assertEquals(bound.method(), read.method(), json);
    assertEquals(bound.resource(), read.resource(), json);
    assertEquals(bound.status(), read.status(), json);
    assertEquals(bound.latencyMs(), read.latencyMs(), json);
    assertEquals(bound.integrationLatencyMs(), read.integrationLatencyMs(), json);
    assertEquals(bound.integrationType(), read.integrationType(), json);
    assertEquals(bound.cacheHit(), read.cacheHit(), json);
    assertEquals(bound.errorType(), read.errorType(), json);
    assertEquals(bound.eventType(), read.eventType(), json);
    assertEquals(bound.function(), read.function(), json);
    assertEquals(bound.functionOutcome(), read.functionOutcome(), json);
    assertEquals(bound.functionDurationMs(), read.functionDurationMs(), json);
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
