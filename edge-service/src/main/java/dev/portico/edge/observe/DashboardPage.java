package dev.portico.edge.observe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The live dashboard on the edge's ops port: {@code GET /dashboard} serves a self-contained page
 * (HTML, vanilla JS and CSS from {@code resources/dashboard/}) that connects to the data plane's
 * WebSocket API ({@code ws://HOST:dataPort/{stage}}) and shows the customers table, the latest
 * changes, alarm states and gateway metrics live. The server writes the data plane's bound port
 * into the page, so it works on any port; {@code ?port=} and {@code ?stage=} override it.
 *
 * <p>{@code GET /dashboard/items?stage=} returns the customers table's first items (a scan through
 * the data plane, as any client would do), so the page starts from the current items and then
 * follows their changes: the browser could not read it from the data plane itself, which is another
 * origin.
 */
public final class DashboardPage {
  private static final String PORT_PLACEHOLDER = "__PORTICO_DATA_PORT__";
  private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final int SNAPSHOT_LIMIT = 1000;
  private static final int MAX_PAGES = 256;

  /** Only what the page itself loads; the WebSocket may go to any port of any host it is told. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final Map<String, String> ASSETS =
      Map.of(
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");

  private final String index;
  private final Map<String, Buffer> assets;
  private final Vertx vertx;
  private final String dataHost;
  private final IntSupplier dataPort;
  private HttpClient client;

  private DashboardPage(Vertx vertx, String dataHost, IntSupplier dataPort) {
    this.vertx = vertx;
    this.dataHost = dataHost.equals("0.0.0.0") || dataHost.equals("::") ? "127.0.0.1" : dataHost;
    this.dataPort = dataPort;
    this.index = new String(resource("index.html"), StandardCharsets.UTF_8);
    this.assets =
        Map.of(
            "app.js", Buffer.buffer(resource("app.js")),
            "app.css", Buffer.buffer(resource("app.css")));
  }

  /**
   * Adds {@code /dashboard}, its assets and its snapshot route to {@code router} (the ops
   * server's).
   *
   * @param dataHost the host the data plane binds (the snapshot is read through it)
   * @param dataPort the data plane's bound port, asked on each request (known once it listens)
   */
  public static void mount(Vertx vertx, Router router, String dataHost, IntSupplier dataPort) {
    new DashboardPage(vertx, dataHost, dataPort).routes(router);
  }

  private void routes(Router router) {
    router.get("/dashboard").handler(this::page);
    router.get("/dashboard/").handler(this::page);
    router.get("/dashboard/items").handler(this::items);
    ASSETS.forEach(
        (name, type) ->
            router.get("/dashboard/" + name).handler(ctx -> send(ctx, type, assets.get(name))));
  }

  private void page(RoutingContext ctx) {
    String html = index.replace(PORT_PLACEHOLDER, Integer.toString(dataPort.getAsInt()));
    send(ctx, "text/html; charset=utf-8", Buffer.buffer(html));
  }

  private static void send(RoutingContext ctx, String type, Buffer body) {
    ctx.response()
        .putHeader("content-type", type)
        .putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("content-security-policy", CSP)
        .end(body);
  }

  /**
   * The stage's customers table, read through the data plane page after page (a scan may return
   * empty pages that carry a cursor) up to {@link #SNAPSHOT_LIMIT} items; {@code nextCursor} is set
   * when there were more.
   */
  private void items(RoutingContext ctx) {
    String stage = ctx.queryParams().get("stage");
    if (stage == null || !STAGE.matcher(stage).matches()) {
      ctx.response().setStatusCode(400);
      ctx.json(new JsonObject().put("message", "stage: 1 to 128 of A-Z a-z 0-9 _ -"));
      return;
    }
    scan(stage, null, new JsonArray(), 0)
        .onSuccess(
            answer ->
                ctx.response()
                    .setStatusCode(answer.getInteger("status", 200))
                    .putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store")
                    .end(answer.getJsonObject("body").encode()))
        .onFailure(
            e -> {
              if (!ctx.response().ended()) {
                ctx.response().setStatusCode(502);
                ctx.json(
                    new JsonObject()
                        .put("message", "The data plane did not answer: " + e.getMessage()));
              }
            });
  }

  private Future<JsonObject> scan(String stage, String cursor, JsonArray items, int pages) {
    String uri =
        "/"
            + stage
            + "/customer?limit="
            + Math.min(1000, SNAPSHOT_LIMIT - items.size())
            + (cursor == null
                ? ""
                : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(dataHost)
            .setPort(dataPort.getAsInt())
            .setURI(uri)
            .setConnectTimeout(5_000)
            .setIdleTimeout(10_000)
            .putHeader("accept", "application/json")
            .putHeader("user-agent", "portico-dashboard");
    return client()
        .request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> Map.entry(response.statusCode(), body)))
        .compose(
            answer -> {
              JsonObject body;
              try {
                body = new JsonObject(answer.getValue());
              } catch (RuntimeException e) {
                body = new JsonObject().put("message", "not JSON: HTTP " + answer.getKey());
              }
              if (answer.getKey() != 200) {
                return Future.succeededFuture(
                    new JsonObject().put("status", answer.getKey()).put("body", body));
              }
              JsonArray page = body.getJsonArray("items", new JsonArray());
              items.addAll(page);
              String next = body.getString("nextCursor");
              if (next == null || items.size() >= SNAPSHOT_LIMIT || pages + 1 >= MAX_PAGES) {
                JsonObject result = new JsonObject().put("items", items).put("count", items.size());
                if (next != null) {
                  result.put("nextCursor", next);
                }
                return Future.succeededFuture(
                    new JsonObject().put("status", 200).put("body", result));
              }
              return scan(stage, next, items, pages + 1);
            });
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client =
          vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(2));
    }
    return client;
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled /dashboard/" + name + " missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
