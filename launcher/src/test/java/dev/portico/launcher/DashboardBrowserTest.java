package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.alarm.AlarmConfig;
import dev.portico.alarm.AlarmService;
import dev.portico.metrics.MetricsConfig;
import dev.portico.metrics.MetricsService;
import dev.portico.runtime.ConfigReader;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real headless Chromium (Debian's {@code chromium} driven through {@code
 * chromium-driver}): the edge serves the page on its ops port, the page subscribes over the data
 * plane's WebSocket, and items written through the REST API appear, change and disappear in its
 * table as their change records are fanned out by stream-service; on open, with nothing changing,
 * it shows the current items, every alarm's state and reason, and the last hour of gateway
 * datapoints drawn by uPlot; {@code #alarm=NAME} (the alarm email's link) shows one alarm with its
 * history; item data is shown as text, never as markup; and the page reconnects and subscribes
 * again when the edge restarts.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
@Tag("integration")
class DashboardBrowserTest {
  /** How long a change may take to show: the fan-out's bound (2 s) plus the edge and the page. */
  static final Duration CHANGE_SHOWN = Duration.ofSeconds(15);

  Suite suite;
  StreamService stream;
  MetricsService metrics;
  AlarmService alarms;
  WebDriver browser;
  Path userDataDir;

  @BeforeAll
  void start(
      TestKafka kafka,
      @TempDir Path stateDir,
      @TempDir Path browserDir,
      @TempDir Path metricsDir,
      @TempDir Path alarmDir)
      throws Exception {
    // A fixed data port, so that the page finds the edge again after a restart; the ports of
    // metrics- and alarm-service known to the edge, whose dashboard reads them.
    suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000)
            .with("PORTICO_EDGE_PORT", Integer.toString(FreePorts.next()))
            .with("PORTICO_METRICS_PORT", Integer.toString(FreePorts.next()))
            .with("PORTICO_ALARM_PORT", Integer.toString(FreePorts.next()))
            .with("PORTICO_METRICS_STATE_DIR", metricsDir.toString())
            .with("PORTICO_ALARM_STATE_DIR", alarmDir.toString())
            // a minute's datapoint is final 1 s after the minute instead of 60 s
            .with("PORTICO_METRICS_GRACE_MS", "1000")
            .start();
    Map<String, String> env = new HashMap<>(suite.env);
    env.put("PORTICO_STREAM_PORT", "0");
    ConfigReader config = new ConfigReader(env);
    stream = new StreamService(suite.vertx, StreamConfig.read(config));
    metrics = new MetricsService(suite.vertx, MetricsConfig.read(config));
    alarms = new AlarmService(suite.vertx, AlarmConfig.read(config));
    Suite.await(stream.start());
    Suite.await(metrics.start());
    Suite.await(alarms.start());
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> stream.isReady() && metrics.isReady() && alarms.isReady());
    userDataDir = Files.createDirectories(browserDir.resolve("profile"));
    browser = chromium(userDataDir);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    for (var service : new dev.portico.runtime.PorticoService[] {alarms, metrics, stream}) {
      if (service != null) {
        Suite.await(service.stop());
      }
    }
    if (suite != null) {
      suite.close();
    }
  }

  String dashboardUrl() {
    return "http://127.0.0.1:" + suite.edge.opsPort() + "/dashboard";
  }

  /** Opens the dashboard and waits until it has subscribed to its channels. */
  void openDashboard() {
    browser.get(dashboardUrl());
    waitFor(
        Duration.ofSeconds(20), "the page to connect and subscribe", d -> state().equals("live"));
  }

  @Test
  @Order(1)
  void shouldServeThePageWithTheDataPlanePortWrittenIn() {
    HttpResponse<String> page = Http.get(dashboardUrl());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
    assertTrue(
        page.body().contains("content=\"" + suite.edge.dataPort() + "\""),
        "the data plane's port is in the page");
    assertTrue(
        page.headers().firstValue("content-security-policy").orElseThrow().contains("script-src"));
    assertEquals(200, Http.get(dashboardUrl() + "/app.js").statusCode());
    assertEquals(200, Http.get(dashboardUrl() + "/app.css").statusCode());
    assertTrue(suite.edge.urls().stream().anyMatch(u -> u.startsWith("edge dashboard: ")));

    openDashboard();
    assertEquals(
        "ws://127.0.0.1:" + suite.edge.dataPort() + "/prod",
        browser.findElement(By.id("ws-url")).getText());
  }

  @Test
  @Order(2)
  void shouldInsertUpdateAndRemoveTheRowAsTheItemChanges() {
    openDashboard();

    put("dash-1", "{\"customer_name\":\"Ada\",\"price\":10}", 201);
    waitForCell("dash-1", "customer_name", "Ada");
    assertEquals("10", cell("dash-1", "price").orElseThrow());

    HttpResponse<String> patched =
        Http.request(
            "PATCH",
            suite.url("/prod/customer/dash-1"),
            "{\"set\":{\"customer_name\":\"Grace\"},\"add\":{\"price\":5}}");
    assertEquals(200, patched.statusCode(), patched.body());
    waitForCell("dash-1", "customer_name", "Grace");
    waitForCell("dash-1", "price", "15");
    assertEquals(1, browser.findElements(row("dash-1")).size(), "one row per item");

    HttpResponse<String> deleted = Http.request("DELETE", suite.url("/prod/customer/dash-1"), null);
    assertEquals(204, deleted.statusCode(), deleted.body());
    waitFor(CHANGE_SHOWN, "the row of dash-1 to go", d -> d.findElements(row("dash-1")).isEmpty());

    List<String> feed =
        browser.findElements(By.cssSelector("#feed li")).stream()
            .map(WebElement::getText)
            .filter(text -> text.contains("dash-1"))
            .toList();
    assertEquals(3, feed.size(), feed.toString());
    assertTrue(feed.get(0).contains("REMOVE"), feed.toString());
    assertTrue(
        feed.get(1).contains("MODIFY") && feed.get(1).contains("customer_name"), feed.toString());
    assertTrue(feed.get(2).contains("INSERT"), feed.toString());
  }

  @Test
  @Order(3)
  void shouldShowItemsThatExistedBeforeThePageOpened() {
    put("dash-before", "{\"customer_name\":\"Lin\"}", 201);
    HttpResponse<String> items = Http.get(dashboardUrl() + "/items?stage=prod");
    assertEquals(200, items.statusCode(), items.body());
    assertTrue(items.body().contains("\"dash-before\""), items.body());
    openDashboard();
    waitForCell("dash-before", "customer_name", "Lin");
  }

  @Test
  @Order(4)
  void shouldShowMarkupInItemsAsText() {
    openDashboard();
    String hostile = "<img src=x onerror=\"document.title='owned'\"><b>bold</b>";
    put("dash-xss", "{\"customer_name\":" + quote(hostile) + "}", 201);
    waitForCell("dash-xss", "customer_name", hostile);
    assertTrue(browser.findElements(By.cssSelector("#customers img, #customers b")).isEmpty());
    assertTrue(browser.findElements(By.cssSelector("#feed script, #customers script")).isEmpty());
    assertEquals("Portico live dashboard", browser.getTitle());
  }

  @Test
  @Order(5)
  void shouldReconnectAndSubscribeAgainWhenTheEdgeRestarts() {
    openDashboard();
    Suite.await(suite.edge.stop());
    waitFor(
        Duration.ofSeconds(20), "the page to see the socket close", d -> !state().equals("live"));

    // The page keeps trying with backoff; the edge comes back on the same data port.
    suite.startEdge();
    waitFor(Duration.ofSeconds(60), "the page to reconnect", d -> state().equals("live"));

    put("dash-after", "{\"customer_name\":\"Back\"}", 201);
    waitForCell("dash-after", "customer_name", "Back");
  }

  @Test
  @Order(6)
  void shouldShowTheCurrentStateAtOnceWhenThePageOpens() {
    // Before the page opens: an item, an alarm in ALARM (no data, treated as breaching), and a
    // final minute of gateway datapoints for customer-api/prod.
    put("dash-open", "{\"customer_name\":\"Present\"}", 201);
    HttpResponse<String> alarm =
        Http.request(
            "PUT",
            alarmsUrl("/alarms/" + DASH_ALARM),
            "{\"Namespace\":\"Dash\",\"MetricName\":\"Nothing\",\"Statistic\":\"Sum\","
                + "\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":1,"
                + "\"ComparisonOperator\":\"GreaterThanThreshold\","
                + "\"TreatMissingData\":\"breaching\"}");
    assertEquals(201, alarm.statusCode(), alarm.body());
    assertTrue(alarm.body().contains("\"StateValue\":\"ALARM\""), alarm.body());
    Awaitility.await()
        .atMost(120, TimeUnit.SECONDS)
        .pollInterval(1, TimeUnit.SECONDS)
        .until(() -> finalMinutes() > 0);

    openDashboard(); // nothing changes from here on
    waitForCell("dash-open", "customer_name", "Present");
    waitFor(
        CHANGE_SHOWN,
        "the alarm's state and reason",
        d ->
            alarmRow(DASH_ALARM).map(WebElement::getText).orElse("").contains("ALARM")
                && alarmRow(DASH_ALARM)
                    .map(WebElement::getText)
                    .orElse("")
                    .contains("treated as [Breaching]"));
    for (String chart : List.of("chart-volume", "chart-latency")) {
      waitFor(
          CHANGE_SHOWN,
          chart + " to draw datapoints",
          d -> Integer.parseInt(d.findElement(By.id(chart)).getDomAttribute("data-points")) > 0);
      WebElement canvas = browser.findElement(By.cssSelector("#" + chart + " canvas"));
      assertTrue(canvas.getSize().getWidth() > 0 && canvas.getSize().getHeight() > 0, chart);
    }
    assertEquals(
        200, Http.get(dashboardUrl() + "/uplot/LICENSE").statusCode(), "uPlot's license served");
  }

  @Test
  @Order(7)
  void shouldOpenOneAlarmWithItsStateReasonAndHistoryFromItsLink() {
    browser.get(dashboardUrl() + "#alarm=" + DASH_ALARM);
    waitFor(
        CHANGE_SHOWN,
        "the alarm's view",
        d ->
            d.findElement(By.id("alarm-detail")).isDisplayed()
                && d.findElement(By.id("alarm-detail-state")).getText().equals("ALARM")
                && d.findElement(By.id("alarm-detail-reason"))
                    .getText()
                    .contains("treated as [Breaching]")
                && d.findElement(By.id("alarm-history"))
                    .getText()
                    .contains("Alarm updated from INSUFFICIENT_DATA to ALARM"));
    assertEquals(DASH_ALARM, browser.findElement(By.id("alarm-detail-name")).getText());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static final String DASH_ALARM = "dash-alarm";

  String alarmsUrl(String path) {
    return "http://127.0.0.1:" + suite.env.get("PORTICO_ALARM_PORT") + path;
  }

  /**
   * Final 1-minute Count datapoints of customer-api/prod in the last hour, from metrics-service.
   */
  int finalMinutes() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    HttpResponse<String> stats =
        Http.get(
            "http://127.0.0.1:"
                + suite.env.get("PORTICO_METRICS_PORT")
                + "/metrics/statistics?namespace=Portico/Gateway&metricName=Count"
                + "&dimension=ApiName=customer-api&dimension=Stage=prod&period=60&statistics=Sum"
                + "&startTime="
                + now.minusSeconds(3600).toEpochMilli()
                + "&endTime="
                + now.plusSeconds(60).toEpochMilli());
    if (stats.statusCode() != 200) {
      return 0;
    }
    return dev.portico.contracts.Json.MAPPER.readTree(stats.body()).get("Datapoints").size();
  }

  Optional<WebElement> alarmRow(String name) {
    return browser
        .findElements(By.cssSelector("#alarms tbody tr[data-alarm=" + cssString(name) + "]"))
        .stream()
        .findFirst();
  }

  void put(String id, String body, int status) {
    HttpResponse<String> response =
        Http.request("PUT", suite.url("/prod/customer/" + encode(id)), body);
    assertEquals(status, response.statusCode(), response.body());
  }

  static String encode(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  static String quote(String text) {
    try {
      return dev.portico.contracts.Json.MAPPER.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String state() {
    return browser.findElement(By.id("status")).getDomAttribute("data-state");
  }

  static By row(String key) {
    return By.cssSelector("#customers tbody tr[data-key=" + cssString(key) + "]");
  }

  static String cssString(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The text of an item's cell, if its row and that column are shown. */
  Optional<String> cell(String key, String attribute) {
    return browser
        .findElements(
            By.cssSelector(
                "#customers tbody tr[data-key="
                    + cssString(key)
                    + "] td[data-attr="
                    + cssString(attribute)
                    + "]"))
        .stream()
        .findFirst()
        .map(WebElement::getText);
  }

  void waitForCell(String key, String attribute, String expected) {
    waitFor(
        CHANGE_SHOWN,
        key + "." + attribute + " to show " + expected,
        d -> cell(key, attribute).filter(expected::equals).isPresent());
  }

  void waitFor(Duration timeout, String what, Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, timeout, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(
            () ->
                what
                    + " (page status: "
                    + browser.findElement(By.id("status")).getText()
                    + " "
                    + browser.findElement(By.id("status-detail")).getText()
                    + "; errors: "
                    + browser.findElement(By.id("errors")).getText()
                    + "; snapshot: "
                    + browser.findElement(By.id("snapshot-note")).getText()
                    + ")")
        .until(condition);
  }

  /**
   * Debian's chromium, headless, through chromedriver: the paths come from {@code
   * -Dportico.test.chromium} / {@code -Dportico.test.chromedriver} or the PATH.
   */
  static WebDriver chromium(Path userDataDir) {
    String binary =
        executable("portico.test.chromium", "chromium", "chromium-browser", "google-chrome");
    String driver = executable("portico.test.chromedriver", "chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + userDataDir);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  static String executable(String property, String... names) {
    return executableFrom("chromium chromium-driver", property, names);
  }

  /** An executable named by {@code property} or found on the PATH; {@code debian}: its packages. */
  static String executableFrom(String debian, String property, String... names) {
    String configured = System.getProperty(property);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .flatMap(dir -> Stream.of(names).map(name -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .findFirst()
        .map(Path::toString)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "This test needs "
                        + String.join(" or ", names)
                        + " on the PATH (Debian: apt-get install "
                        + debian
                        + "), or -D"
                        + property
                        + "=/path/to/it"));
  }
}
