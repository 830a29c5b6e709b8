package dev.portico.edge.observe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The live dashboard on the edge's ops port: {@code GET /dashboard} serves a self-contained page
 * (HTML, vanilla JS and CSS from {@code resources/dashboard/}) that connects to the data plane's
 * WebSocket API ({@code ws://HOST:dataPort/{stage}}) and shows the customers table, the latest
 * changes, alarm states and gateway metrics live. The server writes the data plane's bound port
 * into the page, so it works on any port; {@code ?port=} and {@code ?stage=} override it.
 *
 * <p>What the page shows on open, before any change, comes from a small read-only proxy on this
 * same origin (the page's CSP allows no other; the APIs it reads are on other ports, so other
 * origins, and send no CORS headers): {@code GET /dashboard/items?stage=} (the customers table's
 * first items, a scan through the data plane as any client would do), {@code /dashboard/alarms}
 * (alarm-service's DescribeAlarms, metric and composite alarms), {@code
 * /dashboard/alarm-history?AlarmName=} (DescribeAlarmHistory of one alarm) and {@code
 * /dashboard/datapoints?api=&stage=} (metrics-service's GetMetricData: the last hour of the API's
 * Count, 4XXError and 5XXError sums and Latency p50/p99 per minute). Only these GETs are forwarded,
 * each to one fixed request. The charts are drawn by uPlot, served from its webjar at {@code
 * /dashboard/uplot/} with its license.
 *
 * <p>This class serves the page and its assets; {@link DashboardProxy} is the proxy.
 */
public final class DashboardPage {
  private static final String PORT_PLACEHOLDER = "__PORTICO_DATA_PORT__";
  private static final String TLS_PLACEHOLDER = "__PORTICO_DATA_TLS__";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";
  private static final Map<String, String> UPLOT_FILES =
      Map.of(
          "uPlot.iife.min.js", "dist/uPlot.iife.min.js",
          "uPlot.min.css", "dist/uPlot.min.css",
          "LICENSE", "LICENSE");
  private static final Map<String, String> UPLOT_TYPES =
      Map.of(
          "uPlot.iife.min.js", "text/javascript; charset=utf-8",
          "uPlot.min.css", "text/css; charset=utf-8",
          "LICENSE", "text/plain; charset=utf-8");

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
  private final IntSupplier dataPort;
  private final boolean dataTls;
  private final Map<String, Buffer> uplot;

  private DashboardPage(IntSupplier dataPort, boolean dataTls) {
    this.dataPort = dataPort;
    this.dataTls = dataTls;
    this.index = new String(resource("index.html"), StandardCharsets.UTF_8);
    this.assets =
        Map.of(
            "app.js", Buffer.buffer(resource("app.js")),
            "app.css", Buffer.buffer(resource("app.css")));
    String version = uplotVersion();
    Map<String, Buffer> files = new java.util.HashMap<>();
    UPLOT_FILES.forEach(
        (name, path) -> files.put(name, Buffer.buffer(classpath(UPLOT + version + "/" + path))));
    this.uplot = Map.copyOf(files);
  }

  /**
   * Adds {@code /dashboard}, its assets and its snapshot route to {@code router} (the ops
   * server's).
   *
   * @param dataHost the host the data plane binds (the snapshot is read through it)
   * @param dataPort the data plane's bound port, asked on each request (known once it listens)
   * @param dataTls whether the data plane serves HTTPS (and so the page's WebSocket wss:)
   * @param sources where alarms and datapoints are read
   */
  public static void mount(
      Vertx vertx,
      Router router,
      String dataHost,
      IntSupplier dataPort,
      boolean dataTls,
      DashboardSources sources) {
    new DashboardPage(dataPort, dataTls).routes(router);
    new DashboardProxy(vertx, dataHost, dataPort, dataTls, sources).routes(router);
  }

  private void routes(Router router) {
    router.get("/dashboard").handler(this::page);
    router.get("/dashboard/").handler(this::page);
    UPLOT_TYPES.forEach(
        (name, type) ->
            router
                .get("/dashboard/uplot/" + name)
                .handler(ctx -> send(ctx, type, uplot.get(name))));
    ASSETS.forEach(
        (name, type) ->
            router.get("/dashboard/" + name).handler(ctx -> send(ctx, type, assets.get(name))));
  }

  private void page(RoutingContext ctx) {
    String html =
        index
            .replace(PORT_PLACEHOLDER, Integer.toString(dataPort.getAsInt()))
            .replace(TLS_PLACEHOLDER, Boolean.toString(dataTls));
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

  static byte[] resource(String name) {
    return classpath("dashboard/" + name);
  }

  /** The uPlot webjar's version, from its Maven properties (the path of its files has it). */
  private static String uplotVersion() {
    java.util.Properties properties = new java.util.Properties();
    try {
      properties.load(
          new java.io.ByteArrayInputStream(
              classpath("META-INF/maven/org.webjars.npm/uplot/pom.properties")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static byte[] classpath(String path) {
    try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bundled " + path + " missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
