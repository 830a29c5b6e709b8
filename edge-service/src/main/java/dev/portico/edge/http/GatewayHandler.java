package dev.portico.edge.http;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.Stage;
import dev.portico.edge.integration.FunctionRequests;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.integration.RecordKeySelector;
import dev.portico.edge.routing.RouteMatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: {@code /{stage}/{path}} -> stage -> route -> integration -> response. Unknown
 * stage: 404 {@code Not Found}; no route: 403 {@code Missing Authentication Token}. Every response
 * carries {@code x-portico-request-id}; gateway errors also carry {@code x-portico-error-type}.
 */
public final class GatewayHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
  public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  private final Supplier<Map<String, Stage>> stages;
  private final KafkaFunctionClient functions;
  private final MeterRegistry registry;

  public GatewayHandler(
      Supplier<Map<String, Stage>> stages, KafkaFunctionClient functions, MeterRegistry registry) {
    this.stages = stages;
    this.functions = functions;
    this.registry = registry;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    HttpServerResponse response = request.response();
    response.putHeader("x-portico-request-id", requestId);

    String path = request.path();
    int slash = path.indexOf('/', 1);
    String stageName = slash < 0 ? path.substring(1) : path.substring(1, slash);
    String resource = slash < 0 ? "/" : path.substring(slash);
    Stage stage = stages.get().get(stageName);
    if (stage == null) {
      error(response, GatewayError.NOT_FOUND);
      return;
    }
    Optional<RouteMatch> match = stage.routes().match(request.method().name(), resource);
    if (match.isEmpty()) {
      error(response, GatewayError.MISSING_AUTHENTICATION_TOKEN);
      record(stage, "none", request, 403, start);
      return;
    }
    RouteMatch route = match.get();
    String length = request.getHeader("content-length");
    if (length != null && parseLength(length) > MAX_BODY_BYTES) {
      error(response, GatewayError.REQUEST_TOO_LARGE);
      response.putHeader("connection", "close");
      record(stage, route.route().path().template(), request, 413, start);
      return;
    }
    BodyReader.read(request, MAX_BODY_BYTES)
        .compose(body -> integrate(request, body, stage, route, requestId))
        .onComplete(
            result -> {
              int status;
              if (result.succeeded()) {
                status = write(response, result.result());
              } else {
                GatewayError error = toGatewayError(result.cause());
                if (error == GatewayError.INTERNAL_ERROR) {
                  LOG.error("Request {} failed", requestId, result.cause());
                }
                error(response, error);
                status = error.status();
              }
              record(stage, route.route().path().template(), request, status, start);
            });
  }

  private Future<FunctionResponse> integrate(
      HttpServerRequest request, Buffer body, Stage stage, RouteMatch match, String requestId) {
    Integration integration = match.route().integration();
    if (integration instanceof Integration.Mock mock) {
      return Future.succeededFuture(
          new FunctionResponse(mock.statusCode(), mock.headers(), mock.body(), false));
    }
    Integration.Kafka kafka = (Integration.Kafka) integration;
    FunctionRequest event =
        FunctionRequests.from(
            request,
            body,
            stage.api().name(),
            stage.name(),
            match,
            stage.variables(),
            requestId,
            Instant.now());
    String key = RecordKeySelector.select(kafka.key(), request, match, body);
    return functions.invoke(kafka.topic(), key, event, requestId, kafka.timeout());
  }

  private static GatewayError toGatewayError(Throwable cause) {
    if (cause instanceof IntegrationException e) {
      return e.error();
    }
    if (cause instanceof BodyReader.TooLarge) {
      return GatewayError.REQUEST_TOO_LARGE;
    }
    return GatewayError.INTERNAL_ERROR;
  }

  private static int write(HttpServerResponse response, FunctionResponse result) {
    if (response.closed()) {
      return result.statusCode();
    }
    response.setStatusCode(result.statusCode());
    if (result.headers() != null) {
      result.headers().forEach(response::putHeader);
    }
    String body = result.body();
    if (body == null) {
      response.end();
    } else if (result.isBase64Encoded()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException notBase64) {
        response.headers().clear();
        error(response, GatewayError.MALFORMED_INTEGRATION_RESPONSE);
        return GatewayError.MALFORMED_INTEGRATION_RESPONSE.status();
      }
      response.end(Buffer.buffer(bytes));
    } else {
      response.end(body);
    }
    return result.statusCode();
  }

  static void error(HttpServerResponse response, GatewayError error) {
    if (response.closed() || response.ended()) {
      return;
    }
    response
        .setStatusCode(error.status())
        .putHeader("content-type", "application/json")
        .putHeader("x-portico-error-type", error.type())
        .end(new JsonObject().put("message", error.message()).encode());
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void record(
      Stage stage, String resource, HttpServerRequest request, int status, long start) {
    Timer.builder("portico.edge.requests")
        .description("Requests through the data plane, by route template")
        .tags(
            "api", stage.api().name(),
            "stage", stage.name(),
            "method", request.method().name(),
            "resource", resource,
            "status", Integer.toString(status))
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
