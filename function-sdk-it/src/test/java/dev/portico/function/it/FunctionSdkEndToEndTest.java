package dev.portico.function.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SDK's programs as child processes behind the real edge on a real broker: the hello example
 * served end to end (both payload formats), a failing handler answered 500, and a kill -9 mid-load
 * after which every request is answered, exactly once on the reply topic. One subclass per
 * language.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@Tag("integration")
abstract class FunctionSdkEndToEndTest {
  private static final Path HELLO_API = SdkLanguage.ROOT.resolve("function-example/hello-api.yaml");
  private static final Path LOGS = Path.of("target/sdk-logs").toAbsolutePath();

  private final SdkLanguage language;
  private final List<FunctionProcess> processes = new ArrayList<>();
  private TestKafka kafka;
  private String prefix;
  private EdgeUnderTest edge;
  private String testName;

  FunctionSdkEndToEndTest(SdkLanguage language) {
    this.language = language;
  }

  @BeforeAll
  void startEdge(TestKafka kafka) {
    language.interpreter(); // fails fast, saying what to install
    this.kafka = kafka;
    this.prefix = kafka.freshPrefix();
    this.edge = new EdgeUnderTest(kafka, prefix);
  }

  @AfterEach
  void stopFunctions() {
    processes.forEach(FunctionProcess::close);
    processes.clear();
  }

  @AfterAll
  void stopEdge() {
    if (edge != null) {
      edge.close();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void name(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
  }

  @Test
  void shouldServeTheHelloExampleThroughTheEdgeInBothPayloadFormats() throws Exception {
    String topic = prefix + "fn.hello";
    int metricsPort = FreePorts.next();
    FunctionProcess function = start(language.example("hello"), env(topic, metricsPort));
    edge.deploy("hello", helloApi(topic, null), "e2e");
    edge.deploy("hello-v1", helloApi(topic, "1.0"), "e2e-v1");

    HttpResponse<String> greeting = awaitAnswer(function, "/e2e/hello/Ada", 200);
    assertEquals("{\"message\":\"Hello, Ada!\",\"stage\":\"e2e\"}", greeting.body());
    assertEquals(Optional.of("application/json"), greeting.headers().firstValue("content-type"));
    HttpResponse<String> v1 = edge.get("/e2e-v1/hello/Grace?lang=en");
    assertEquals(200, v1.statusCode(), v1.body());
    assertEquals("{\"message\":\"Hello, Grace!\",\"stage\":\"e2e-v1\"}", v1.body());

    // The SDK's own counters: exact for the requests sent from here on, and promtool-clean.
    Map<String, Long> before = counters(metricsPort);
    for (String name : List.of("Bo", "Cy", "Di")) {
      assertEquals(200, edge.get("/e2e/hello/" + name).statusCode());
    }
    Map<String, Long> after = counters(metricsPort);
    assertEquals(3, after.get("requests") - before.get("requests"), after.toString());
    assertEquals(3, after.get("replies") - before.get("replies"), after.toString());
    assertEquals(after.get("requests"), after.get("replies"), after.toString());
    assertEquals(0, after.get("handler_errors") + after.get("malformed"), after.toString());
    // One handler time per request served, in the histogram all three SDKs share.
    assertEquals(
        3, after.get("handler_duration") - before.get("handler_duration"), after.toString());
    assertEquals(after.get("requests"), after.get("handler_duration"), after.toString());
    assertEquals(List.of(), promtool(scrape(metricsPort)), "promtool check metrics");
  }

  @Test
  void shouldAnswer500WhenTheHandlerFailsAndGoOnServing() {
    String topic = prefix + "fn.failing";
    int metricsPort = FreePorts.next();
    FunctionProcess function = start(language.fixture("failing"), env(topic, metricsPort));
    edge.deploy("failing", helloApi(topic, null), "failing");

    HttpResponse<String> first = awaitAnswer(function, "/failing/hello/Ada", 500);
    assertEquals("{\"message\":\"Internal server error\"}", first.body());
    HttpResponse<String> second = edge.get("/failing/hello/Bo");
    assertEquals(500, second.statusCode(), "the function goes on serving after a failure");
    assertEquals("{\"message\":\"Internal server error\"}", second.body());
    Map<String, Long> counters = counters(metricsPort);
    assertEquals(counters.get("requests"), counters.get("handler_errors"), counters.toString());
    assertEquals(counters.get("requests"), counters.get("replies"), counters.toString());
    assertTrue(counters.get("requests") >= 2, counters.toString());
  }

  @Test
  void shouldAnswerEveryRequestExactlyOnceAcrossAKillMidStream() throws Exception {
    String topic = prefix + "fn.restart";
    // A stable instance id (the Python SDK's transactional id; the Node SDK's are per partition),
    // and a short session so the group hands the dead instance's partitions over quickly.
    Map<String, String> env = env(topic, FreePorts.next());
    env.put("PORTICO_FUNCTION_INSTANCE", "restart-1");
    env.put("PORTICO_FUNCTION_SESSION_TIMEOUT_MS", "6000");
    FunctionProcess first = start(language.example("hello"), env);
    edge.deploy("restart", helloApi(topic, null), "restart");
    awaitAnswer(first, "/restart/hello/warm", 200);

    int total = 300;
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    int answeredAtKill = -1;
    long interval = TimeUnit.SECONDS.toNanos(1) / 100; // 100 requests/s, open loop
    long next = System.nanoTime();
    for (int i = 0; i < total; i++) {
      calls.add(
          edge.getAsync("/restart/hello/r" + i).whenComplete((r, e) -> answered.incrementAndGet()));
      if (i == total / 3) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> answered.get() >= total / 6);
        answeredAtKill = answered.get();
        first.kill();
        start(language.example("hello"), env);
      }
      next += interval;
      LockSupport.parkNanos(next - System.nanoTime());
    }
    assertTrue(answeredAtKill < total, "the kill came mid-stream: " + answeredAtKill);

    List<String> requestIds = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      HttpResponse<String> response = calls.get(i).get(90, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), "r" + i + ": " + response.body());
      assertEquals("{\"message\":\"Hello, r" + i + "!\",\"stage\":\"restart\"}", response.body());
      requestIds.add(response.headers().firstValue("x-portico-request-id").orElseThrow());
    }
    Map<String, Integer> replies = committedReplies(prefix + "edge.replies");
    for (String id : requestIds) {
      assertEquals(1, replies.getOrDefault(id, 0), "committed replies to request " + id);
    }
  }

  private FunctionProcess start(String program, Map<String, String> env) {
    Path log = LOGS.resolve(getClass().getSimpleName() + "." + testName + ".log");
    FunctionProcess process = FunctionProcess.start(language, program, env, log);
    processes.add(process);
    return process;
  }

  private Map<String, String> env(String topic, int metricsPort) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_FUNCTION_TOPIC", topic);
    env.put("PORTICO_FUNCTION_METRICS_PORT", Integer.toString(metricsPort));
    env.put("PORTICO_FUNCTION_METRICS_HOST", "127.0.0.1");
    env.put("PORTICO_TOPIC_PARTITIONS", "4");
    return env;
  }

  /** function-example's OpenAPI document, routed to {@code topic}, in a payload format. */
  static String helloApi(String topic, String payloadFormatVersion) {
    try {
      String document = Files.readString(HELLO_API, StandardCharsets.UTF_8);
      String timeout = "        timeoutMs: 20000";
      if (payloadFormatVersion != null) {
        timeout += "\n        payloadFormatVersion: \"" + payloadFormatVersion + "\"";
      }
      String routed =
          document
              .replace("topic: \"portico.fn.hello\"", "topic: \"" + topic + "\"")
              .replace("        timeoutMs: 5000", timeout);
      assertTrue(routed.contains(topic) && routed.contains("20000"), "hello-api.yaml changed");
      return routed;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Retries while the route answers 503 (the function has not created its topic yet). */
  private HttpResponse<String> awaitAnswer(FunctionProcess function, String path, int status) {
    HttpResponse<String>[] last = new HttpResponse[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            "the function exited",
            () -> {
              if (!function.isAlive()) {
                throw new AssertionError(
                    String.join("\n", FunctionProcess.tail(function.log(), 40)));
              }
            })
        .until(
            () -> {
              last[0] = edge.get(path);
              return last[0].statusCode() != 503;
            });
    assertEquals(status, last[0].statusCode(), last[0].body());
    return last[0];
  }

  private static String scrape(int port) {
    return EdgeUnderTest.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build())
        .body();
  }

  private static final Pattern SAMPLE =
      Pattern.compile(
          "^portico_function_(\\w+?)(?:_requests)?_total\\{[^}]*} (\\d+)$", Pattern.MULTILINE);
  private static final Pattern HANDLER_TIMES =
      Pattern.compile(
          "^portico_function_handler_duration_seconds_count\\{[^}]*} (\\d+)$", Pattern.MULTILINE);

  /**
   * The SDK's counters by short name: requests, replies, handler_errors, malformed, ..., and
   * handler_duration: how many handler times its histogram holds.
   */
  private static Map<String, Long> counters(int port) {
    Map<String, Long> counters = new HashMap<>();
    String scrape = scrape(port);
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    Matcher times = HANDLER_TIMES.matcher(scrape);
    if (times.find()) {
      counters.put("handler_duration", Long.parseLong(times.group(1)));
    }
    return counters;
  }

  /** Replies per correlation id, as the edge reads them: committed only, every partition. */
  private Map<String, Integer> committedReplies(String topic) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Object> props =
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertTrue(System.nanoTime() < deadline, "read the reply topic to its end");
        for (ConsumerRecord<String, String> reply : consumer.poll(Duration.ofMillis(200))) {
          Header id = reply.headers().lastHeader("portico-correlation-id");
          if (id != null) {
            counts.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  /** promtool's findings on a scrape (Debian's prometheus package; -Dportico.test.promtool=). */
  private static List<String> promtool(String scrape) throws Exception {
    String promtool =
        Optional.ofNullable(System.getProperty("portico.test.promtool"))
            .orElseGet(
                () ->
                    Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, "promtool"))
                        .filter(Files::isExecutable)
                        .findFirst()
                        .map(Path::toString)
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "needs promtool (apt-get install prometheus)")));
    Path input = Files.createTempFile("sdk-scrape", ".txt");
    try {
      Files.writeString(input, scrape);
      Process process =
          new ProcessBuilder(promtool, "check", "metrics")
              .redirectInput(input.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
      assertTrue(process.exitValue() == 0 || process.exitValue() == 3, output);
      return output.lines().filter(line -> !line.isBlank()).toList();
    } finally {
      Files.deleteIfExists(input);
    }
  }
}
