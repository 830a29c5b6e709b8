package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.RequestEvent.Outcome;
import dev.portico.launcher.GatewayMetricsEndToEndTest.Metrics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function metrics of what {@link FunctionMetricsEndToEndTest} leaves out: WebSocket routes to a
 * function ({@code $connect}, messages answered, failed, timed out, published without waiting) and
 * an authorizer function (called on cache misses only, on a REST route and on {@code $connect}),
 * through the real edge on a real broker. What the test sent fixes the expected counts; the edge's
 * request events must say the same, and metrics-service's {@code Portico/Functions} must report
 * exactly that for each function, the authorizer under its own FunctionName.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(240)
@Tag("integration")
class FunctionMetricsWebSocketAndAuthorizerEndToEndTest {
  static final String API = "fnwsauth";
  static final String STAGE = "fw-live";
  static final String NAMESPACE = "Portico/Functions";

  static String document(String ws, String auth) {
    return """
        openapi: 3.0.3
        info: {title: fnwsauth}
        components:
          securitySchemes:
            fn:
              type: apiKey
              in: header
              name: authorization
              x-portico-authorizer:
                type: function
                topic: '%2$s'
                identitySource: [$request.header.Authorization]
                resultTtlSeconds: 300
            ws:
              type: apiKey
              in: query
              name: token
              x-portico-authorizer:
                type: function
                topic: '%2$s'
                identitySource: $request.querystring.token
                resultTtlSeconds: 300
        paths:
          /guarded:
            get:
              security: [{fn: []}]
              x-portico-integration: {type: mock}
        x-portico-websocket:
          routes:
            $connect:
              security: [{ws: []}]
              x-portico-integration: {type: kafka, topic: '%1$s', timeoutMs: 5000}
            $default:
              x-portico-integration: {type: kafka, topic: '%1$s', timeoutMs: 500}
              routeResponse: true
            tell:
              x-portico-integration: {type: kafka, topic: '%1$s'}
        """
        .formatted(ws, auth);
  }

  @Test
  void shouldCountWebSocketRoutesAndAuthorizerCallsExactlyAsSent(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String prefix = kafka.freshPrefix();
    String ws = prefix + "fn.ws";
    String auth = prefix + "fn.auth";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(ws, 2, (short) 1), new NewTopic(auth, 2, (short) 1)))
          .all()
          .get();
    }
    try (KafkaResponder function =
            new KafkaResponder(
                kafka.bootstrapServers(),
                List.of(ws, auth),
                "function-metrics-ws-responder",
                FunctionMetricsWebSocketAndAuthorizerEndToEndTest::answer);
        Suite suite =
            new Suite(kafka.bootstrapServers(), prefix, dir.resolve("customers"), 10_000)
                .with("PORTICO_EDGE_ADMIN_TOKEN", FunctionMetricsEndToEndTest.TOKEN)
                .startEdge();
        Metrics metrics = new Metrics(suite, dir.resolve("metrics"));
        KafkaConsumer<String, RequestEvent> events =
            GatewayMetricsEndToEndTest.accessLog(kafka.bootstrapServers(), prefix)) {
      GatewayMetricsEndToEndTest.admin(suite, "PUT", "/apis/" + API, document(ws, auth), 200);
      GatewayMetricsEndToEndTest.admin(
          suite, "POST", "/apis/" + API + "/deployments", "{\"stage\":\"" + STAGE + "\"}", 201);

      // The authorizer on a REST route: three identities asked once each (the repeats are cache
      // hits), one request without identity (401, not asked).
      String guarded = "/" + STAGE + "/guarded";
      for (String token : List.of("allow-1", "allow-1", "allow-1", "allow-2", "deny", "deny")) {
        int status =
            Http.send(
                    HttpRequest.newBuilder(URI.create(suite.url(guarded)))
                        .header("authorization", token))
                .statusCode();
        assertEquals(token.startsWith("allow") ? 200 : 403, status, token);
      }
      assertEquals(401, Http.get(suite.url(guarded)).statusCode());

      // A WebSocket: $connect asks the authorizer (a fourth identity), then $connect's function;
      // a second connect with the same token is a cache hit. Messages: 3 answered, 2 answered
      // 500, 1 timed out (its reply comes late), 2 published to "tell" without waiting.
      Frames frames = new Frames();
      String wsUrl = suite.url("/" + STAGE + "?token=allow-ws").replaceFirst("^http", "ws");
      WebSocket socket = connect(wsUrl, frames);
      connect(wsUrl, new Frames()).sendClose(WebSocket.NORMAL_CLOSURE, "").join();
      for (String text : List.of("ok-1", "ok-2", "ok-3", "fail-1", "fail-2", "slow")) {
        socket.sendText(text, true).join();
        String frame = frames.next();
        assertTrue(
            text.startsWith("slow") ? frame.contains("Internal server error") : true,
            text + ": " + frame);
      }
      for (int i = 0; i < 2; i++) {
        socket.sendText("{\"action\":\"tell\",\"n\":" + i + "}", true).join();
      }
      int authorizerCalls = 4;
      int wsInvocations = 2 + 6 + 2; // two $connects, six answered or timed out, two told
      int wsErrors = 2;
      int wsTimeouts = 1;
      int wsAnswered = 2 + 5;

      // The edge's events say the same.
      List<RequestEvent> all = new ArrayList<>();
      Predicate<RequestEvent> authorizer = e -> RequestEvent.AUTHORIZER.equals(e.eventType());
      Predicate<RequestEvent> wsCall = e -> ws.equals(e.function()) && e.functionOutcome() != null;
      Predicate<RequestEvent> late = e -> RequestEvent.LATE_REPLY.equals(e.eventType());
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () -> {
                events.poll(Duration.ofMillis(200)).forEach(r -> all.add(r.value()));
                return all.stream().filter(authorizer).count() >= authorizerCalls
                    && all.stream().filter(wsCall).count() >= wsInvocations
                    && all.stream().anyMatch(late);
              });
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
      List<RequestEvent> authCalls = all.stream().filter(authorizer).toList();
      List<RequestEvent> wsCalls = all.stream().filter(wsCall).toList();
      assertEquals(authorizerCalls, authCalls.size(), "a cache hit is no invocation");
      assertTrue(authCalls.stream().allMatch(e -> auth.equals(e.function())));
      assertTrue(authCalls.stream().allMatch(e -> Outcome.OK.equals(e.functionOutcome())));
      assertEquals(wsInvocations, wsCalls.size(), wsCalls.toString());
      assertEquals(2, count(wsCalls, e -> RequestEvent.CONNECT.equals(e.eventType())));
      assertEquals(wsErrors, count(wsCalls, e -> Outcome.ERROR.equals(e.functionOutcome())));
      assertEquals(wsTimeouts, count(wsCalls, e -> Outcome.TIMEOUT.equals(e.functionOutcome())));
      assertEquals(2, count(wsCalls, e -> Outcome.ACCEPTED.equals(e.functionOutcome())));
      assertEquals(wsAnswered, count(wsCalls, e -> e.functionDurationMs() != null));
      RequestEvent lateReply = all.stream().filter(late).findFirst().orElseThrow();
      assertEquals(ws, lateReply.function());

      // metrics-service: per function, exactly that.
      List<RequestEvent> counted = new ArrayList<>(authCalls);
      counted.addAll(wsCalls);
      counted.add(lateReply);
      long first = counted.stream().mapToLong(RequestEvent::time).min().orElseThrow();
      long last = counted.stream().mapToLong(RequestEvent::time).max().orElseThrow();
      long start = first - first % 1000;
      long end = last - last % 1000 + 1000;
      assertTrue(end - start <= 30_000, "the traffic took " + (end - start) + " ms");
      for (String stage : List.of("", "&dimension=Stage=" + STAGE)) {
        String wsDims = "&dimension=FunctionName=" + ws + stage;
        String authDims = "&dimension=FunctionName=" + auth + stage;
        FunctionMetricsEndToEndTest.awaitFinal(
            metrics, "Invocations", authDims, start, end, last(authCalls));
        FunctionMetricsEndToEndTest.awaitFinal(
            metrics, "Invocations", wsDims, start, end, last(wsCalls));
        FunctionMetricsEndToEndTest.awaitFinal(
            metrics, "LateReplies", wsDims, start, end, lateReply.time());

        assertEquals(authorizerCalls, sum(metrics, "Invocations", authDims, start, end));
        assertEquals(0, sum(metrics, "Errors", authDims, start, end));
        assertEquals(
            authorizerCalls, durations(metrics, authDims, start).get("SampleCount").asInt());
        assertEquals(wsInvocations, sum(metrics, "Invocations", wsDims, start, end), wsDims);
        assertEquals(wsErrors, sum(metrics, "Errors", wsDims, start, end), wsDims);
        assertEquals(wsTimeouts, sum(metrics, "Timeouts", wsDims, start, end), wsDims);
        assertEquals(1, sum(metrics, "LateReplies", wsDims, start, end), wsDims);
        JsonNode wsDuration = durations(metrics, wsDims, start);
        assertEquals(wsAnswered, wsDuration.get("SampleCount").asInt(), wsDims);
        double exactSum =
            wsCalls.stream()
                .filter(e -> e.functionDurationMs() != null)
                .mapToDouble(RequestEvent::functionDurationMs)
                .sum();
        assertEquals(exactSum, wsDuration.get("Sum").asDouble(), 1e-9 * exactSum, wsDims);
      }
    }
  }

  static long count(List<RequestEvent> events, Predicate<RequestEvent> which) {
    return events.stream().filter(which).count();
  }

  static long last(List<RequestEvent> events) {
    return events.stream().mapToLong(RequestEvent::time).max().orElseThrow();
  }

  static double sum(Metrics metrics, String metric, String dimensions, long start, long end)
      throws Exception {
    return FunctionMetricsEndToEndTest.sum(metrics, metric, dimensions, start, end);
  }

  static JsonNode durations(Metrics metrics, String dimensions, long start) throws Exception {
    return metrics
        .statistics(NAMESPACE, "Duration", dimensions, start, start + 30_000, 30, "SampleCount,Sum")
        .get(0);
  }

  static WebSocket connect(String url, Frames frames) {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(url), frames)
        .join();
  }

  /** The text frames a client received, in order. */
  static final class Frames implements WebSocket.Listener {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    String next() throws InterruptedException {
      String frame = received.poll(30, TimeUnit.SECONDS);
      assertTrue(frame != null, "a frame within 30 s");
      return frame;
    }
  }

  /**
   * The functions on plain Kafka clients. The authorizer allows a token starting with "allow". The
   * WebSocket function answers 200 with the message (and a {@code $connect}), 500 for a message
   * starting with "fail", and a 200 only after 1.5 s for "slow" (the route waits 500 ms).
   */
  static void answer(ReplyAddress address, JsonNode event, KafkaResponder function) {
    if (event.has("identitySource")) {
      boolean allow = event.get("identitySource").get(0).asText().startsWith("allow");
      function.send(
          address.reply(FunctionResponse.json(200, "{\"isAuthorized\":" + allow + "}", Map.of())));
      return;
    }
    String body = event.path("body").asText("");
    if (body.startsWith("slow")) {
      function.sendAfter(1_500, address.reply(FunctionResponse.json(200, "\"late\"", Map.of())));
    } else {
      int status = body.startsWith("fail") ? 500 : 200;
      function.send(address.reply(FunctionResponse.json(status, "\"" + body + "\"", Map.of())));
    }
  }
}
