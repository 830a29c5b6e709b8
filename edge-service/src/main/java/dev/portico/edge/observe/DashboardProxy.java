package dev.portico.edge.observe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The dashboard's read-only proxy on the ops port ({@link DashboardPage} says why it exists): four
 * GETs, each forwarded as one fixed request to the data plane, alarm-service or metrics-service,
 * whose JSON answer is passed on (502 when the service does not answer).
 */
final class DashboardProxy {
  private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern API = Pattern.compile("[^\\s*,=]{1,200}");
  private static final int MAX_ALARM_PAGES = 10;
  private static final int SNAPSHOT_LIMIT = 1000;
  private static final int MAX_PAGES = 256;

  private final Vertx vertx;
  private final String dataHost;
  private final boolean dataTls;
  private final IntSupplier dataPort;
  private final DashboardSources sources;
  private HttpClient client;

  DashboardProxy(
      Vertx vertx,
      String dataHost,
      IntSupplier dataPort,
      boolean dataTls,
      DashboardSources sources) {
    this.dataTls = dataTls;
    this.vertx = vertx;
    this.sources = sources;
    this.dataHost = dataHost.equals("0.0.0.0") || dataHost.equals("::") ? "127.0.0.1" : dataHost;
    this.dataPort = dataPort;
  }

  void routes(Router router) {
    router.get("/dashboard/items").handler(this::items);
    router.get("/dashboard/alarms").handler(this::alarms);
    router.get("/dashboard/alarm-history").handler(this::alarmHistory);
    router.get("/dashboard/datapoints").handler(this::datapoints);
  }

  /**
   * The stage's customers table, read through the data plane page after page (a scan may return
   * empty pages that carry a cursor) up to {@link #SNAPSHOT_LIMIT} items; {@code nextCursor} is set
   * when there were more.
   */
  private void items(RoutingContext ctx) {
    String stage = ctx.queryParams().get("stage");
    if (stage == null || !STAGE.matcher(stage).matches()) {
      badRequest(ctx, "stage: 1 to 128 of A-Z a-z 0-9 _ -");
      return;
    }
    answer(ctx, "The data plane", scan(stage, null, new JsonArray(), 0));
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
    if (dataTls) {
      // This process's own data plane on an address of this host (never leaving it): its
      // certificate names the public host name, not this address, and is whatever was reloaded
      // last, so it is not verified here.
      options
          .setSsl(true)
          .setSslOptions(
              new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
    }
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

  /** Every alarm (metric and composite) as DescribeAlarms lists them, page after page. */
  private void alarms(RoutingContext ctx) {
    JsonObject all =
        new JsonObject()
            .put("MetricAlarms", new JsonArray())
            .put("CompositeAlarms", new JsonArray());
    answer(ctx, "The service", alarmPages(null, all, 0));
  }

  private Future<JsonObject> alarmPages(String token, JsonObject all, int pages) {
    String uri =
        "/alarms?AlarmTypes=MetricAlarm&AlarmTypes=CompositeAlarm&MaxRecords=100"
            + (token == null ? "" : "&NextToken=" + encode(token));
    return call(HttpMethod.GET, sources.alarmsUrl() + uri, null)
        .compose(
            answer -> {
              if (answer.getInteger("status") != 200) {
                return Future.succeededFuture(answer);
              }
              JsonObject page = answer.getJsonObject("body");
              for (String list : new String[] {"MetricAlarms", "CompositeAlarms"}) {
                all.getJsonArray(list).addAll(page.getJsonArray(list, new JsonArray()));
              }
              String next = page.getString("NextToken");
              if (next == null || pages + 1 >= MAX_ALARM_PAGES) {
                return Future.succeededFuture(new JsonObject().put("status", 200).put("body", all));
              }
              return alarmPages(next, all, pages + 1);
            });
  }

  /** One alarm's history, newest first (the alarm view of {@code /dashboard#alarm=NAME}). */
  private void alarmHistory(RoutingContext ctx) {
    String name = ctx.queryParams().get("AlarmName");
    if (name == null || name.isEmpty() || name.length() > 255) {
      badRequest(ctx, "AlarmName: 1 to 255 characters");
      return;
    }
    answer(
        ctx,
        "The service",
        call(
            HttpMethod.GET,
            sources.alarmsUrl() + "/alarm-history?MaxRecords=50&AlarmName=" + encode(name),
            null));
  }

  /**
   * The last hour of an API stage's gateway metrics per minute: Count, 4XXError and 5XXError sums,
   * Latency p50 and p99 (GetMetricData, only final datapoints).
   */
  private void datapoints(RoutingContext ctx) {
    String api = ctx.queryParams().get("api");
    String stage = ctx.queryParams().get("stage");
    if (api == null || !API.matcher(api).matches()) {
      badRequest(ctx, "api: 1 to 200 characters without spaces, '*', ',' or '='");
      return;
    }
    if (stage == null || !STAGE.matcher(stage).matches()) {
      badRequest(ctx, "stage: 1 to 128 of A-Z a-z 0-9 _ -");
      return;
    }
    long minute = 60_000;
    long end = (System.currentTimeMillis() / minute + 1) * minute;
    JsonArray queries = new JsonArray();
    queries.add(query("count", api, stage, "Count", "Sum"));
    queries.add(query("errors4xx", api, stage, "4XXError", "Sum"));
    queries.add(query("errors5xx", api, stage, "5XXError", "Sum"));
    queries.add(query("p50", api, stage, "Latency", "p50"));
    queries.add(query("p99", api, stage, "Latency", "p99"));
    JsonObject body =
        new JsonObject()
            .put("StartTime", end - 60 * minute)
            .put("EndTime", end)
            .put("MetricDataQueries", queries);
    answer(
        ctx,
        "The service",
        call(HttpMethod.POST, sources.metricsUrl() + "/metrics/data/query", body));
  }

  private static JsonObject query(String id, String api, String stage, String metric, String stat) {
    JsonObject dimensions = new JsonObject().put("ApiName", api).put("Stage", stage);
    return new JsonObject()
        .put("Id", id)
        .put(
            "MetricStat",
            new JsonObject()
                .put(
                    "Metric",
                    new JsonObject()
                        .put("Namespace", "Portico/Gateway")
                        .put("MetricName", metric)
                        .put("Dimensions", dimensions))
                .put("Period", 60)
                .put("Stat", stat));
  }

  /** A JSON request to another service; {@code {status, body}} whatever it answered. */
  private Future<JsonObject> call(HttpMethod method, String url, JsonObject body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setConnectTimeout(5_000)
            .setIdleTimeout(10_000)
            .putHeader("accept", "application/json")
            .putHeader("user-agent", "portico-dashboard");
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    return client()
        .request(options)
        .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
        .compose(response -> response.body().map(b -> Map.entry(response.statusCode(), b)))
        .map(
            answer -> {
              JsonObject json;
              try {
                json = new JsonObject(answer.getValue());
              } catch (RuntimeException e) {
                json = new JsonObject().put("message", "not JSON: HTTP " + answer.getKey());
              }
              return new JsonObject().put("status", answer.getKey()).put("body", json);
            });
  }

  /** Relays {@code {status, body}}; 502 naming {@code source} when it did not answer. */
  private static void answer(RoutingContext ctx, String source, Future<JsonObject> result) {
    result
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
                    new JsonObject().put("message", source + " did not answer: " + e.getMessage()));
              }
            });
  }

  private static void badRequest(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400);
    ctx.json(new JsonObject().put("message", message));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client =
          vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(2));
    }
    return client;
  }
}
