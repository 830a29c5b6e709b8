package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service's {@code /metrics} passes {@code promtool check metrics} (Debian's {@code
 * prometheus} package) without a finding on a {@code portico_*} series: each has its HELP text and
 * a name and type Prometheus' conventions accept. Traffic first, so that meters registered on first
 * use (per status, per outcome, per protocol) are there to be checked too.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(300)
@Tag("integration")
class MetricsLintTest {
  static final Map<String, String> OPS_PORTS =
      Map.of(
          "edge", "PORTICO_EDGE_OPS_PORT",
          "customer", "PORTICO_CUSTOMER_OPS_PORT",
          "stream", "PORTICO_STREAM_PORT",
          "metrics", "PORTICO_METRICS_PORT",
          "alarm", "PORTICO_ALARM_PORT");

  /** Series promtool flagged (issue 13): the traffic below makes each of them appear. */
  static final List<String> SERIES_FROM_THE_ISSUE =
      List.of(
          "portico_edge_pending_requests",
          "portico_edge_ws_connections",
          "portico_alarm_transitions_total",
          "portico_alarm_deliveries_total",
          "portico_alarm_delivery_latency_seconds");

  @Test
  void promtoolShouldFindNothingToSayAboutPorticosOwnSeries(
      TestKafka kafka, @TempDir Path dataDir, @TempDir Path scrapes) throws Exception {
    GreenMail mail =
        new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    try (WholeSuite suite =
        new WholeSuite(kafka, dataDir)
            .with("PORTICO_SMTP_HOST", "127.0.0.1")
            .with("PORTICO_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()))
            .start()) {
      traffic(suite, mail);
      List<String> findings = new ArrayList<>();
      StringBuilder scraped = new StringBuilder();
      for (var service : OPS_PORTS.entrySet()) {
        HttpResponse<String> metrics = Http.get(suite.url(service.getValue(), "/metrics"));
        assertEquals(200, metrics.statusCode(), service.getKey());
        assertTrue(
            metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
            "the classic text format");
        scraped.append(metrics.body());
        Path scrape = scrapes.resolve(service.getKey() + ".prom");
        Files.writeString(scrape, metrics.body());
        for (String line : promtool(scrape)) {
          if (line.contains("portico_")) {
            findings.add(service.getKey() + ": " + line);
          }
        }
      }
      for (String series : SERIES_FROM_THE_ISSUE) {
        assertTrue(scraped.indexOf("\n" + series) >= 0, series + " is scraped, so it is checked");
      }
      assertEquals(List.of(), findings, "promtool check metrics on Portico's own series");
    } finally {
      mail.stop();
    }
  }

  /** An item, a WebSocket subscription that sees its change, an alarm transition, an email. */
  static void traffic(WholeSuite suite, GreenMail mail) throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(suite.url("PORTICO_EDGE_PORT", "/prod").replace("http:", "ws:")),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frames.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    socket.sendText("{\"action\":\"subscribe\",\"channel\":\"customers\"}", true);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> frames.size() >= 1);
    HttpResponse<String> put =
        Http.request(
            "PUT",
            suite.url("PORTICO_EDGE_PORT", "/prod/customer/lint-1"),
            "{\"customer_name\":\"Lint\"}");
    assertEquals(201, put.statusCode(), put.body());
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> frames.stream().anyMatch(f -> f.contains("lint-1")));
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

    String alarms = suite.url("PORTICO_ALARM_PORT", "");
    assertEquals(201, Http.request("PUT", alarms + "/topics/lint", null).statusCode());
    assertEquals(
        201,
        Http.postJson(
                alarms + "/topics/lint/subscriptions",
                "{\"Protocol\":\"email\",\"Endpoint\":\"ops@portico.test\"}")
            .statusCode());
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> mail.getReceivedMessages().length >= 1);
    HttpResponse<String> alarm =
        Http.request(
            "PUT",
            alarms + "/alarms/lint",
            "{\"Namespace\":\"Lint\",\"MetricName\":\"Nothing\",\"Statistic\":\"Sum\","
                + "\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":1,"
                + "\"ComparisonOperator\":\"GreaterThanThreshold\","
                + "\"TreatMissingData\":\"breaching\",\"AlarmActions\":[\"lint\"]}");
    assertEquals(201, alarm.statusCode(), alarm.body());
  }

  /** promtool's findings, one a line ({@code promtool check metrics} reads the scrape on stdin). */
  static List<String> promtool(Path scrape) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(promtoolBinary(), "check", "metrics")
            .redirectInput(scrape.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
    // 0: clean; 3: lint warnings only (listed in the output); anything else: it could not parse.
    assertTrue(
        process.exitValue() == 0 || process.exitValue() == 3,
        "promtool exit " + process.exitValue() + ": " + output);
    return output.lines().filter(line -> !line.isBlank()).toList();
  }

  static String promtoolBinary() {
    return DashboardBrowserTest.executableFrom("prometheus", "portico.test.promtool", "promtool");
  }
}
