package dev.portico.metrics.http;

import dev.portico.metrics.aggregation.Retention;
import dev.portico.metrics.ingest.PutMetricDataRequest;
import dev.portico.metrics.query.ListMetricsRequest;
import dev.portico.metrics.query.MetricDataEngine;
import dev.portico.metrics.query.MetricDataRequest;
import dev.portico.metrics.query.MetricReader;
import dev.portico.metrics.query.ReplicaQuery;
import dev.portico.metrics.query.ReplicaWire;
import dev.portico.metrics.query.Statistic;
import dev.portico.metrics.query.StatisticsEngine;
import dev.portico.metrics.query.StatisticsRequest;
import dev.portico.runtime.RawBodyHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The metrics HTTP API, on the service's own port next to /health and /metrics:
 *
 * <ul>
 *   <li>{@code POST /metrics/data}: PutMetricData (JSON), validated, then written to the custom
 *       topic;
 *   <li>{@code GET /metrics/statistics}: GetMetricStatistics over final datapoints;
 *   <li>{@code POST /metrics/data/query}: GetMetricData (several series, one statistic each, and
 *       metric-math expressions over them);
 *   <li>{@code GET /metrics/list}: ListMetrics;
 *   <li>{@code GET /metrics/internal/periods}, {@code /metrics/internal/index}: what replicas ask
 *       each other (see {@code RoutingMetricReader}).
 * </ul>
 *
 * Parsing and validation run on the event loop (cheap); Kafka sends and store reads run in {@code
 * executeBlocking}, so the event loop never waits.
 */
public final class MetricsApi {
  /** CloudWatch takes 1 MB per PutMetricData call. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final Supplier<DatumPublisher> publisher;
  private final MetricReader reader;
  private final MetricReader localReader;
  private final StatisticsEngine engine;
  private final MetricDataEngine metricData;
  private final Retention retention;
  private final Clock clock;

  public MetricsApi(
      Vertx vertx,
      Supplier<DatumPublisher> publisher,
      MetricReader reader,
      MetricReader localReader,
      Retention retention,
      Clock clock) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.reader = reader;
    this.localReader = localReader;
    this.engine = new StatisticsEngine(reader);
    this.metricData = new MetricDataEngine(engine);
    this.retention = retention;
    this.clock = clock;
  }

  public void mount(Router router) {
    router
        .post("/metrics/data")
        .handler(RawBodyHandler.create(MAX_BODY_BYTES))
        .handler(this::putMetricData)
        .failureHandler(this::bodyFailure);
    router
        .post("/metrics/data/query")
        .handler(RawBodyHandler.create(MAX_BODY_BYTES))
        .handler(this::getMetricData)
        .failureHandler(this::bodyFailure);
    router.get("/metrics/statistics").handler(this::getMetricStatistics);
    router.get("/metrics/list").handler(this::listMetrics);
    // Between replicas: each answers only from its own state, so a query never loops.
    router.get("/metrics/internal/periods").handler(this::replicaPeriods);
    router.get("/metrics/internal/index").handler(this::replicaIndex);
  }

  private void replicaPeriods(RoutingContext ctx) {
    ReplicaQuery query;
    try {
      query = ReplicaQuery.parse(parameters(ctx));
    } catch (BadRequest e) {
      ApiResponses.fail(ctx, e);
      return;
    }
    blocking(
            () ->
                ReplicaWire.Periods.of(
                    localReader.periods(query.metric(), query.tier(), query.from(), query.to())))
        .onSuccess(periods -> ApiResponses.json(ctx, 200, periods))
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  private void replicaIndex(RoutingContext ctx) {
    blocking(() -> ReplicaWire.Index.of(localReader.metrics()))
        .onSuccess(index -> ApiResponses.json(ctx, 200, index))
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  private void putMetricData(RoutingContext ctx) {
    List<dev.portico.contracts.MetricDatum> datums;
    try {
      datums =
          JsonBody.read(ctx.body().buffer(), PutMetricDataRequest.class)
              .validDatums(clock.millis());
    } catch (BadRequest e) {
      ApiResponses.fail(ctx, e);
      return;
    }
    blocking(
            () -> {
              DatumPublisher target = publisher.get();
              if (target == null) {
                throw new ApiResponses.NotReady();
              }
              target.publish(datums);
              return datums.size();
            })
        .onSuccess(count -> ApiResponses.json(ctx, 200, Map.of("accepted", count)))
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  private void bodyFailure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      ApiResponses.error(
          ctx, 413, "The body is over " + MAX_BODY_BYTES + " bytes (1 MiB)", List.of());
    } else if (ctx.failure() != null) {
      ApiResponses.fail(ctx, ctx.failure());
    } else {
      ApiResponses.error(ctx, ctx.statusCode(), "Bad request", List.of());
    }
  }

  private void getMetricStatistics(RoutingContext ctx) {
    StatisticsRequest request;
    try {
      request = StatisticsRequest.parse(parameters(ctx), clock.millis(), retention);
    } catch (BadRequest e) {
      ApiResponses.fail(ctx, e);
      return;
    }
    blocking(() -> engine.buckets(request))
        .onSuccess(buckets -> ApiResponses.json(ctx, 200, statisticsBody(request, buckets)))
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  static Map<String, Object> statisticsBody(
      StatisticsRequest request, List<StatisticsEngine.Bucket> buckets) {
    List<Map<String, Object>> datapoints = new ArrayList<>(buckets.size());
    for (var bucket : buckets) {
      Map<String, Object> datapoint = new LinkedHashMap<>();
      datapoint.put("Timestamp", Instant.ofEpochMilli(bucket.start()).toString());
      Map<String, Object> extended = new LinkedHashMap<>();
      for (Statistic statistic : request.statistics()) {
        var value = statistic.of(bucket.aggregate());
        if (value.isEmpty()) {
          continue;
        }
        if (statistic instanceof Statistic.Percentile) {
          extended.put(statistic.name(), value.getAsDouble());
        } else {
          datapoint.put(statistic.name(), value.getAsDouble());
        }
      }
      if (!extended.isEmpty()) {
        datapoint.put("ExtendedStatistics", extended);
      }
      datapoint.put("Unit", bucket.aggregate().unit() == null ? "None" : bucket.aggregate().unit());
      datapoints.add(datapoint);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Label", request.metric().metricName());
    body.put("Datapoints", datapoints);
    return body;
  }

  private void getMetricData(RoutingContext ctx) {
    MetricDataRequest request;
    MetricDataRequest.Plan plan;
    try {
      request = JsonBody.read(ctx.body().buffer(), MetricDataRequest.class);
      plan = request.plan(clock.millis(), retention);
    } catch (BadRequest e) {
      ApiResponses.fail(ctx, e);
      return;
    }
    blocking(
            () -> {
              List<Map<String, Object>> results = new ArrayList<>();
              for (var one : metricData.answer(plan)) {
                results.add(metricDataResult(one, request.descending()));
              }
              return results;
            })
        .onSuccess(
            results ->
                ApiResponses.json(
                    ctx, 200, Map.of("MetricDataResults", results, "Messages", List.of())))
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  static Map<String, Object> metricDataResult(MetricDataEngine.Result one, boolean descending) {
    List<String> timestamps = new ArrayList<>();
    for (long t : one.timestamps()) {
      timestamps.add(Instant.ofEpochMilli(t).toString());
    }
    List<Double> values = new ArrayList<>(one.values());
    if (descending) {
      java.util.Collections.reverse(timestamps);
      java.util.Collections.reverse(values);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("Id", one.id());
    result.put("Label", one.label());
    result.put("Timestamps", timestamps);
    result.put("Values", values);
    result.put("StatusCode", "Complete");
    return result;
  }

  private void listMetrics(RoutingContext ctx) {
    ListMetricsRequest request;
    try {
      request = ListMetricsRequest.parse(parameters(ctx));
    } catch (BadRequest e) {
      ApiResponses.fail(ctx, e);
      return;
    }
    blocking(() -> request.page(reader.metrics(), clock.millis()))
        .onSuccess(
            page -> {
              List<Map<String, Object>> metrics = new ArrayList<>();
              for (var metric : page.metrics()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("Namespace", metric.namespace());
                entry.put("MetricName", metric.metricName());
                entry.put("Dimensions", metric.dimensions());
                metrics.add(entry);
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("Metrics", metrics);
              if (page.nextToken() != null) {
                body.put("NextToken", page.nextToken());
              }
              ApiResponses.json(ctx, 200, body);
            })
        .onFailure(e -> ApiResponses.fail(ctx, e));
  }

  private static Map<String, List<String>> parameters(RoutingContext ctx) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String name : ctx.queryParams().names()) {
      parameters.put(name, ctx.queryParams().getAll(name));
    }
    return parameters;
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
