package dev.portico.edge.steps;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.Integration;
import dev.portico.edge.integration.FunctionOutcomes;
import dev.portico.edge.integration.FunctionRequests;
import dev.portico.edge.integration.HttpProxy;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.integration.RecordKeySelector;
import dev.portico.edge.mapping.ParameterMapping;
import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.Release;
import dev.portico.edge.websocket.WebSocketGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The route's integration. {@code http}: the request is proxied and the backend's answer streamed
 * back, ending the chain. {@code mock}: its fixed answer (the body is dropped, within its limit).
 * {@code kafka}: the body is read and sent as a request event in the route's payload format; sync
 * mode waits for the function's answer, async mode answers 202 with the request id once Kafka has
 * the event. A mock's or function's answer is left on the exchange for {@link CacheStore} and
 * {@link ResponseWriter}. A WebSocket upgrade runs {@code $connect}'s integration, which accepts or
 * refuses the socket. A route's parameter mapping ({@link Mappings}) changes the request each
 * integration receives and the answer it gives, before the answer is cached or written.
 *
 * <p>A function invocation's outcome and duration are left on the exchange for the function
 * metrics; a reply that comes after the request timed out is published as a {@link
 * RequestEvent#LATE_REPLY} event.
 */
public final class IntegrationCall implements Step {
  private final KafkaFunctionClient functions;
  private final HttpProxy http;
  private final WebSocketGateway webSockets;
  private final Consumer<RequestEvent> lateReplies;

  public IntegrationCall(
      KafkaFunctionClient functions, HttpProxy http, WebSocketGateway webSockets) {
    this(functions, http, webSockets, event -> {});
  }

  /**
   * @param lateReplies where the {@link RequestEvent#LATE_REPLY} events go (the request events'
   *     publisher); called on the reply listener's thread, so it must not block
   */
  public IntegrationCall(
      KafkaFunctionClient functions,
      HttpProxy http,
      WebSocketGateway webSockets,
      Consumer<RequestEvent> lateReplies) {
    this.functions = functions;
    this.http = http;
    this.webSockets = webSockets;
    this.lateReplies = lateReplies;
  }

  @Override
  public boolean serves() {
    return true;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    if (ex.isWebSocket()) {
      return webSockets.connect(ex, ex::functionReturned);
    }
    Integration integration = ex.integration();
    ParameterMapping.Applied mapping = Mappings.apply(ex);
    if (integration instanceof Integration.Http target) {
      // Streamed through, never buffered: http answers are not cached.
      return http.proxy(ex.request(), target, ex.match(), ex.requestId(), ex.body(), mapping);
    }
    if (integration instanceof Integration.Mock mock) {
      // Nobody reads a mock's body, but the limit holds on it as on any other.
      FunctionResponse answer =
          mapped(
              new FunctionResponse(mock.statusCode(), mock.headers(), mock.body(), false), mapping);
      Future<Void> dropped = BodyReader.discard(ex.request(), ex.bodyLimit());
      if (dropped.succeeded()) {
        ex.respondWith(answer);
        return NEXT;
      }
      return dropped.map(v -> respond(ex, answer));
    }
    Integration.Kafka kafka = (Integration.Kafka) integration;
    Future<Buffer> read =
        ex.body() != null
            ? Future.succeededFuture(ex.body())
            : BodyReader.read(ex.request(), ex.bodyLimit());
    return read.compose(body -> call(ex, kafka, body, mapping));
  }

  private Future<Integer> call(
      Exchange ex, Integration.Kafka kafka, Buffer body, ParameterMapping.Applied mapping) {
    Object event = requestEvent(ex, kafka, body, mapping == null ? null : mapping.request());
    String key = RecordKeySelector.select(kafka.key(), ex.request(), ex.match(), body);
    if (kafka.mode() == Integration.Mode.ASYNC) {
      return functions
          .publish(kafka.topic(), key, event, ex.requestId(), kafka.timeout())
          .onSuccess(v -> ex.functionReturned(RequestEvent.Outcome.ACCEPTED, 0))
          .map(v -> respond(ex, mapped(accepted(ex.requestId()), mapping)));
    }
    String api = ex.release().apiName();
    String stage = ex.stageName();
    String requestId = ex.requestId();
    Runnable onLateReply =
        () ->
            lateReplies.accept(
                RequestEvent.lateReply(
                    requestId, System.currentTimeMillis(), api, stage, kafka.topic()));
    return FunctionOutcomes.observe(
            () ->
                functions.invoke(
                    kafka.topic(), key, event, requestId, kafka.timeout(), onLateReply),
            ex::functionReturned)
        .map(answer -> respond(ex, mapped(answer, mapping)));
  }

  /**
   * The answer after the mapping's rules for its status; repeated headers joined with commas (a
   * function's answer has one value per header).
   */
  static FunctionResponse mapped(FunctionResponse answer, ParameterMapping.Applied mapping) {
    if (mapping == null || !answer.isWellFormed()) {
      return answer;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (answer.headers() != null) {
      answer.headers().forEach((name, value) -> headers.add(Map.entry(name, value)));
    }
    ParameterMapping.MappedResponse mapped = mapping.response(answer.statusCode(), headers);
    if (mapped == null) {
      return answer;
    }
    Map<String, String> joined = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : mapped.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      joined.merge(name, h.getValue(), (a, b) -> a + "," + b);
    }
    return new FunctionResponse(mapped.status(), joined, answer.body(), answer.isBase64Encoded());
  }

  /** Leaves the answer for the steps after this one; the request goes on. */
  private static Integer respond(Exchange ex, FunctionResponse answer) {
    ex.respondWith(answer);
    return null;
  }

  /** Async mode's answer: 202 and the request id. */
  private static FunctionResponse accepted(String requestId) {
    return new FunctionResponse(
        202,
        Map.of("content-type", "application/json"),
        new JsonObject().put("requestId", requestId).encode(),
        false);
  }

  /** The request event in the route's payload format. */
  private static Object requestEvent(
      Exchange ex, Integration.Kafka kafka, Buffer body, ParameterMapping.MappedRequest mapped) {
    Instant start = Instant.ofEpochMilli(ex.startEpochMillis());
    String apiKeyId = ex.apiKey() == null ? null : ex.apiKey().id();
    Release release = ex.release();
    if (kafka.payloadFormat() == Integration.PayloadFormat.V1_0) {
      return FunctionRequests.v1(
          ex.request(),
          mapped,
          body,
          release.apiName(),
          release.stage(),
          ex.match(),
          release.variables(),
          ex.requestId(),
          start,
          ex.claims(),
          apiKeyId,
          ex.authorizer());
    }
    return FunctionRequests.from(
        ex.request(),
        mapped,
        body,
        release.apiName(),
        release.stage(),
        ex.match(),
        release.variables(),
        ex.requestId(),
        start,
        FunctionRequests.authorizer(ex.claims(), apiKeyId, ex.authorizer()));
  }
}
