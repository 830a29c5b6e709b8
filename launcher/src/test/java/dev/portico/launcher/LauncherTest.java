package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.kafka.embedded.BrokerStartException;
import dev.portico.runtime.ConfigException;
import dev.portico.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one-command local mode: broker child process + five services, and a restart on its data. */
@Timeout(300)
@Tag("integration")
class LauncherTest {
  static final String DEPOSIT = "{\"add\":{\"price\":10}}";
  static final String[] IDEMPOTENCY = {"Idempotency-Key", "restart-1"};

  @TempDir Path dataDir;

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_DATA_DIR", dataDir.toString());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_BROKER_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_BROKER_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
    for (String port :
        new String[] {
          "PORTICO_EDGE_PORT",
          "PORTICO_EDGE_OPS_PORT",
          "PORTICO_EDGE_ADMIN_PORT",
          "PORTICO_EDGE_DYNAMODB_PORT",
          "PORTICO_CUSTOMER_OPS_PORT",
          "PORTICO_STREAM_PORT",
          "PORTICO_METRICS_PORT",
          "PORTICO_ALARM_PORT"
        }) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    return env;
  }

  @Test
  void shouldRunTheWholeSuiteAndKeepItemsVersionsKeysAndTheStreamAcrossARestart() throws Exception {
    Map<String, String> env = env();
    String edge = "http://127.0.0.1:" + env.get("PORTICO_EDGE_PORT");
    try (PorticoLauncher launcher = PorticoLauncher.start(env)) {
      assertEquals(5, launcher.services().size());
      for (String port :
          new String[] {
            "PORTICO_EDGE_OPS_PORT",
            "PORTICO_CUSTOMER_OPS_PORT",
            "PORTICO_STREAM_PORT",
            "PORTICO_METRICS_PORT",
            "PORTICO_ALARM_PORT"
          }) {
        String base = "http://127.0.0.1:" + env.get(port);
        assertEquals(200, Http.get(base + "/ready").statusCode(), port);
        assertEquals(200, Http.get(base + "/health").statusCode(), port);
        HttpResponse<String> metrics = Http.get(base + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), port);
      }
      String edgeMetrics =
          Http.get("http://127.0.0.1:" + env.get("PORTICO_EDGE_OPS_PORT") + "/metrics").body();
      assertTrue(
          edgeMetrics.contains("kafka_producer_request_latency_avg"),
          "the edge's Kafka clients are measured");
      HttpResponse<String> created =
          Http.postJson(edge + "/prod/customer", FirstRequestEndToEndTest.LAB_ITEM);
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> deposit =
          Http.request("PATCH", edge + "/prod/customer/1230AWS", DEPOSIT, IDEMPOTENCY);
      assertEquals(200, deposit.statusCode(), deposit.body());
    }

    try (PorticoLauncher again = PorticoLauncher.start(env);
        ChangeStream stream =
            new ChangeStream(
                "127.0.0.1:" + env.get("PORTICO_BROKER_PORT"), "portico.customers.changes")) {
      HttpResponse<String> retried =
          Http.request("PATCH", edge + "/prod/customer/1230AWS", DEPOSIT, IDEMPOTENCY);
      assertEquals(
          "true",
          retried.headers().firstValue("idempotent-replayed").orElseThrow(),
          "the idempotency key survived");
      HttpResponse<String> read = Http.get(edge + "/prod/customer/1230AWS");
      assertEquals(200, read.statusCode(), read.body());
      assertEquals(
          "\"2\"", read.headers().firstValue("etag").orElseThrow(), "the version survived");
      assertEquals(
          990_010, FirstRequestEndToEndTest.json(read.body()).get("price").asInt(), "applied once");
      var records = stream.awaitRecords(2);
      assertEquals(
          List.of("INSERT", "MODIFY"),
          records.stream().map(r -> r.get("eventName").asText()).toList(),
          "the stream survived");
    }
  }

  /** A broker child needs more than a second to start a JVM, load Kafka and elect itself. */
  @Test
  void shouldSayWhatTheBrokerWasDoingAndWhichVariableGivesItLongerWhenItIsNotReadyInTime() {
    Map<String, String> env = env();
    env.put("PORTICO_BROKER_START_TIMEOUT_MS", "1000");
    BrokerStartException e =
        assertThrows(BrokerStartException.class, () -> PorticoLauncher.start(env));
    assertTrue(e.getMessage().startsWith("Kafka broker not ready after 1 s; "), e.getMessage());
    assertTrue(e.getMessage().contains("broker.log"), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("(PORTICO_BROKER_START_TIMEOUT_MS gives it longer)"),
        e.getMessage());
  }

  @Test
  void shouldRefuseToStartWithABadValueAndNameTheVariable() {
    Map<String, String> env = env();
    env.put("PORTICO_CUSTOMER_COMMIT_INTERVAL_MS", "soon");
    ConfigException e = assertThrows(ConfigException.class, () -> PorticoLauncher.start(env));
    assertTrue(e.getMessage().contains("PORTICO_CUSTOMER_COMMIT_INTERVAL_MS"), e.getMessage());
  }
}
