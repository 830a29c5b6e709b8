package dev.portico.function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} of a function on a real broker, scraped after real requests: the counters
 * under the Node.js and Python SDKs' names, and the handler-time histogram exact for what the
 * handler was made to do.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(120)
@Tag("integration")
class MetricsEndpointTest {
  static final long SLOW_MS = 60;
  static final HttpClient CLIENT = HttpClient.newHttpClient();
  static final Pattern SAMPLE =
      Pattern.compile("^([a-z_]+(?:\\{[^}]*})?) (\\S+)$", Pattern.MULTILINE);

  TestEdge edge;
  PorticoFunction function;

  @BeforeEach
  void createTopics(TestKafka kafka) {
    edge = new TestEdge(kafka);
  }

  @AfterEach
  void stop() {
    if (function != null) {
      function.close();
    }
    edge.close();
  }

  /** Answers at once, after {@link #SLOW_MS} for names starting with "slow", fails on "boom". */
  static FunctionHandler handler() {
    return (request, context) -> {
      String name = request.pathParameters().get("name");
      if (name.startsWith("slow")) {
        // The workload, not a wait: a handler that takes this long, whose time the histogram
        // must show above 50 ms.
        Thread.sleep(SLOW_MS);
      }
      if (name.startsWith("boom")) {
        throw new IllegalStateException("the handler failed on purpose");
      }
      return FunctionResponse.json(200, "{}", Map.of());
    };
  }

  @Test
  void shouldServeTheCountersAndTheHandlerTimesAfterRealRequests() throws Exception {
    function =
        edge.function("fn-metrics", handler())
            .metricsFromEnvironment(
                Map.of(
                    "PORTICO_FUNCTION_METRICS_PORT", "0",
                    "PORTICO_FUNCTION_METRICS_HOST", "127.0.0.1"))
            .build()
            .start();
    await().until(() -> function.metricsPort().isPresent());
    int port = function.metricsPort().getAsInt();
    Map<String, Double> idle = samples(scrape(port, "/metrics").body());
    String fn = "{function=\"" + edge.functionTopic + "\"}";
    assertEquals(0, idle.get("portico_function_handler_duration_seconds_count" + fn));

    for (String name : List.of("a", "b", "c", "slow1", "slow2", "boom")) {
      edge.request(name);
    }
    edge.awaitReplies(6);
    await().until(() -> function.counters().requests() == 6);

    HttpResponse<String> scrape = scrape(port, "/metrics");
    assertEquals(200, scrape.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        scrape.headers().firstValue("content-type").orElseThrow());
    Map<String, Double> s = samples(scrape.body());
    assertEquals(6, s.get("portico_function_requests_total" + fn));
    assertEquals(6, s.get("portico_function_replies_total" + fn));
    assertEquals(1, s.get("portico_function_handler_errors_total" + fn));
    assertEquals(0, s.get("portico_function_malformed_requests_total" + fn));
    assertEquals(0, s.get("portico_function_expired_requests_total" + fn));
    assertEquals(0, s.get("portico_function_records_total" + fn));
    assertEquals(0, s.get("portico_function_aborted_transactions_total" + fn));
    assertTrue(
        scrape.body().contains("# TYPE portico_function_handler_duration_seconds histogram"));

    // Six handler runs (the failed one too); the two slow ones above 50 ms, the sum at least
    // theirs.
    String duration = "portico_function_handler_duration_seconds";
    String bucket = duration + "_bucket{function=\"" + edge.functionTopic + "\",le=\"";
    assertEquals(6, s.get(duration + "_count" + fn));
    assertEquals(6, s.get(bucket + "+Inf\"}"));
    assertEquals(4, s.get(bucket + "0.05\"}"), "the four quick runs, not the slow ones");
    assertTrue(s.get(duration + "_sum" + fn) >= 2 * SLOW_MS / 1000.0, s.toString());
    double previous = 0;
    for (double bound : HandlerDurations.BOUNDS) {
      double cumulative = s.get(bucket + MetricsEndpoint.bound(bound) + "\"}");
      assertTrue(cumulative >= previous, "buckets are cumulative: " + s);
      previous = cumulative;
    }

    assertEquals("", promtool(scrape.body()), "promtool check metrics: lint-clean");

    HttpResponse<String> other = scrape(port, "/other");
    assertEquals(404, other.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", other.body());

    function.close();
    assertTrue(function.metricsPort().isEmpty(), "the endpoint stops with the function");
  }

  @Test
  void aBadMetricsPortIsRefusedNamingTheVariable() {
    PorticoFunction.Builder builder = edge.function("fn-bad-port", handler());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.metricsFromEnvironment(Map.of("PORTICO_FUNCTION_METRICS_PORT", "x")));
    assertTrue(e.getMessage().startsWith("PORTICO_FUNCTION_METRICS_PORT"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.metricsPort(65536));
  }

  static HttpResponse<String> scrape(int port, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * What {@code promtool check metrics} (Debian's prometheus package, installed by .ci/run) says of
   * a scrape: empty when it parses and lints clean.
   */
  static String promtool(String scrape) throws Exception {
    Process process =
        new ProcessBuilder(
                System.getProperty("portico.test.promtool", "promtool"), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = process.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, process.exitValue(), output);
    return output.strip();
  }

  /** Every sample of a scrape: {@code name{labels}} to value. */
  static Map<String, Double> samples(String scrape) {
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }
}
