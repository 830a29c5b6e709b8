package dev.portico.edge.steps;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.http.GatewayHandler;
import dev.portico.edge.policy.IpPolicy;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.Limits;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.ApiKeyIndex;
import dev.portico.edge.serving.Release;
import dev.portico.edge.serving.ServingStage;
import dev.portico.edge.serving.ServingState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data plane of a few chosen steps, for the steps' unit tests: the real chain runner ({@link
 * GatewayHandler}) on a real Vert.x server on a free port, serving one API at stage {@code s},
 * asked by the JDK's HTTP client. A probe is the last step: it answers 200 with what the steps
 * before it set on the exchange, so a test sees what a step learned, and whether the request got
 * past the steps at all ({@link #probed()}).
 */
public final class ChainServer implements AutoCloseable {
  public static final String STAGE = "s";

  private static final OpenApiReader READER =
      new OpenApiReader("portico.", Duration.ofSeconds(29), Duration.ofSeconds(29));

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger probed = new AtomicInteger();

  private ChainServer(Vertx vertx, Step... steps) {
    this.vertx = vertx;
    List<Step> chain = new ArrayList<>(List.of(steps));
    chain.add(this::probe);
    GatewayHandler handler = new GatewayHandler(chain, null, new SimpleMeterRegistry());
    server =
        await(
            vertx
                // The data plane's codec caps (DataPlaneServer), so the chain sees requests up to
                // them.
                .createHttpServer(
                    new HttpServerOptions()
                        .setHttp2ClearTextEnabled(false)
                        .setMaxInitialLineLength(Limits.MAX_URL_BYTES + 32)
                        .setMaxHeaderSize(2 * Limits.MAX_HEADER_BLOCK_BYTES))
                .requestHandler(handler)
                .listen(0, "127.0.0.1"));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server whose data plane is {@code steps}, then the probe. */
  public static ChainServer start(Step... steps) {
    return new ChainServer(Vertx.vertx(), steps);
  }

  /**
   * A chain that finds the stage and route in {@code state} (no WebSocket side), then runs {@code
   * steps}.
   */
  public static ChainServer routed(ServingState state, Step... steps) {
    return routed(Vertx.vertx(), state, steps);
  }

  /** As {@link #routed(ServingState, Step...)}, on {@code vertx} (closed with the server). */
  public static ChainServer routed(Vertx vertx, ServingState state, Step... steps) {
    List<Step> chain =
        new ArrayList<>(List.of(new StageSelector(() -> state), new RouteLookup(null)));
    chain.addAll(List.of(steps));
    return new ChainServer(vertx, chain.toArray(Step[]::new));
  }

  /** The API an OpenAPI document describes. */
  public static ApiDefinition api(String openApiYaml) {
    return READER.read(openApiYaml.getBytes(StandardCharsets.UTF_8));
  }

  /** The API deployed alone at stage {@code s} with {@code settings}; no API keys. */
  public static ServingState serving(String openApiYaml, StageSettings settings) {
    return serving(openApiYaml, settings, ApiKeyIndex.EMPTY);
  }

  public static ServingState serving(String openApiYaml, StageSettings settings, ApiKeyIndex keys) {
    return new ServingState(
        Map.of(STAGE, new ServingStage(release(openApiYaml, settings, false), null, 0)), keys);
  }

  public static Release release(String openApiYaml, StageSettings settings, boolean canary) {
    return Release.of(
        "api1",
        STAGE,
        canary ? "canary1" : "deployment1",
        api(openApiYaml),
        Map.of(),
        canary,
        !canary,
        settings,
        IpPolicy.OPEN);
  }

  /**
   * The last step of every test chain: 200, {@code content-type: application/json}, and as body
   * what the exchange holds.
   */
  private Future<Integer> probe(Exchange ex) {
    probed.incrementAndGet();
    ex.request().response().putHeader("content-type", "application/json").end(describe(ex));
    return Future.succeededFuture(200);
  }

  /** How many requests got past the steps to the probe. */
  public int probed() {
    return probed.get();
  }

  private static String describe(Exchange ex) {
    JsonObject json =
        new JsonObject()
            .put("stage", ex.stageName())
            .put("resourcePath", ex.resourcePath())
            .put("deployment", ex.release() == null ? null : ex.release().deploymentId())
            .put("routeKey", ex.match() == null ? null : ex.match().route().routeKey())
            .put("webSocket", ex.isWebSocket())
            .put("bodyLimit", ex.bodyLimit())
            .put("apiKey", ex.apiKey() == null ? null : ex.apiKey().id())
            .put("plan", ex.plan() == null ? null : ex.plan().id())
            .put("claims", ex.claims() == null ? null : new JsonObject(ex.claims()))
            .put("principalId", ex.authorizer() == null ? null : ex.authorizer().principalId())
            .put(
                "authorizerContext",
                ex.authorizer() == null ? null : new JsonObject(ex.authorizer().context()))
            .put("body", ex.body() == null ? null : ex.body().toString())
            .put("cacheHit", ex.cacheHit());
    return json.encode();
  }

  public int port() {
    return server.actualPort();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** A GET of {@code pathAndQuery} with {@code headers} (name, value, name, value, ...). */
  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), headers);
  }

  public HttpResponse<String> send(
      String method, String pathAndQuery, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(uri(pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JSON body of a response. */
  public static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
