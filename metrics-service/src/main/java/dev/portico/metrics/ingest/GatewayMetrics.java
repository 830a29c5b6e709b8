package dev.portico.metrics.ingest;

import dev.portico.contracts.RequestEvent;
import dev.portico.metrics.model.CellId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one gateway event into API Gateway's CloudWatch metrics in namespace {@code
 * Portico/Gateway}.
 *
 * <p>An HTTP request gives Count (1), Latency and IntegrationLatency (ms; the latter only when an
 * integration was called, i.e. a type is named and its latency is above 0), 4XXError and 5XXError
 * (0 or 1, so their Average is the error rate) and, on routes with a cache, CacheHitCount and
 * CacheMissCount (0 or 1), in the most specific cell the event names ({ApiName, Stage, Method,
 * Resource}).
 *
 * <p>A WebSocket event ({@link RequestEvent#isWebSocket()}) gives API Gateway's WebSocket metrics
 * instead, and none of the HTTP ones: ConnectCount (1 per accepted {@code CONNECT}, status 101),
 * MessageCount (1 per {@code MESSAGE}), and IntegrationError, ClientError and ExecutionError (0 or
 * 1 on every {@code CONNECT} and {@code MESSAGE}, so their Average is the error rate), in the cell
 * {ApiName, Stage, Route} (Route = the route key that ran; {ApiName, Stage} when no route took the
 * message). A {@code DISCONNECT} gives no metric (API Gateway has none for it), nor does a {@code
 * LATE_REPLY} (a function's reply after its request timed out) or an {@code AUTHORIZER} event (an
 * authorizer function's call for a request, whose own event counts it): {@link FunctionMetrics}
 * counts those.
 *
 * <p>The coarser cells {ApiName, Stage} and {ApiName} are derived when the period closes ({@link
 * GatewayRollup}), so an event is aggregated once.
 */
public final class GatewayMetrics {
  public static final String NAMESPACE = "Portico/Gateway";
  public static final String API_NAME = "ApiName";
  public static final String STAGE = "Stage";
  public static final String METHOD = "Method";
  public static final String RESOURCE = "Resource";
  public static final String ROUTE = "Route";

  public static final String CLIENT_ERROR = "ClientError";
  public static final String INTEGRATION_ERROR = "IntegrationError";
  public static final String EXECUTION_ERROR = "ExecutionError";

  private static final int MAX_CACHED_CELLS = 10_000;
  private static final List<String> ERRORS =
      List.of(CLIENT_ERROR, INTEGRATION_ERROR, EXECUTION_ERROR);
  // Samples are immutable: the 0/1 ones are shared by every event.
  private static final MetricSample COUNT = count("Count", true);
  private static final MetricSample CONNECT_COUNT = count("ConnectCount", true);
  private static final MetricSample MESSAGE_COUNT = count("MessageCount", true);
  private static final MetricSample[] ERROR_4XX = {
    count("4XXError", false), count("4XXError", true)
  };
  private static final MetricSample[] ERROR_5XX = {
    count("5XXError", false), count("5XXError", true)
  };
  private static final MetricSample[] CACHE_HIT = {
    count("CacheHitCount", false), count("CacheHitCount", true)
  };
  private static final MetricSample[] CACHE_MISS = {
    count("CacheMissCount", false), count("CacheMissCount", true)
  };

  private final boolean highResolution;
  // One API's few stages and routes send most events: their cell ids are built once.
  private final Map<CellKey, CellId> cells = new HashMap<>();

  /**
   * @param highResolution also aggregate gateway metrics per second ({@code
   *     PORTICO_METRICS_GATEWAY_RESOLUTION=1})
   */
  public GatewayMetrics(boolean highResolution) {
    this.highResolution = highResolution;
  }

  /**
   * The event's samples, or empty when it names no API (or a dimension breaks the limits) or is a
   * WebSocket event of an unknown type. A {@code DISCONNECT} gives a sample without metrics.
   */
  public Optional<CellSample> samples(RequestEvent event) {
    if (event == null || !DatumRules.isDimensionValue(event.api())) {
      return Optional.empty();
    }
    if (RequestEvent.LATE_REPLY.equals(event.eventType())
        || RequestEvent.AUTHORIZER.equals(event.eventType())) {
      // A function's late reply or an authorizer's call, not a request: only the function
      // metrics count it.
      CellId api = cell(new CellKey(false, event.api(), null, null, null));
      return Optional.of(new CellSample(api, event.time(), highResolution, List.of()));
    }
    if (event.isWebSocket()) {
      return webSocketSamples(event);
    }
    String stage = DatumRules.isDimensionValue(event.stage()) ? event.stage() : null;
    boolean route =
        stage != null
            && DatumRules.isDimensionValue(event.method())
            && DatumRules.isDimensionValue(event.resource());
    CellId cell =
        cell(
            new CellKey(
                false,
                event.api(),
                stage,
                route ? event.method() : null,
                route ? event.resource() : null));
    List<MetricSample> metrics = new ArrayList<>(7);
    metrics.add(COUNT);
    metrics.add(new MetricSample.Single("Latency", "Milliseconds", event.latencyMs()));
    // The edge reports 0 when the integration was never called (throttled, refused, no route).
    if (event.integrationType() != null && event.integrationLatencyMs() > 0) {
      metrics.add(
          new MetricSample.Single(
              "IntegrationLatency", "Milliseconds", event.integrationLatencyMs()));
    }
    int status = event.status();
    metrics.add(ERROR_4XX[status / 100 == 4 ? 1 : 0]);
    metrics.add(ERROR_5XX[status / 100 == 5 ? 1 : 0]);
    if (event.cacheHit() != null) {
      boolean hit = event.cacheHit();
      metrics.add(CACHE_HIT[hit ? 1 : 0]);
      metrics.add(CACHE_MISS[hit ? 0 : 1]);
    }
    return Optional.of(new CellSample(cell, event.time(), highResolution, metrics));
  }

  private Optional<CellSample> webSocketSamples(RequestEvent event) {
    String stage = DatumRules.isDimensionValue(event.stage()) ? event.stage() : null;
    String route =
        stage != null && DatumRules.isDimensionValue(event.routeKey()) ? event.routeKey() : null;
    List<MetricSample> metrics = new ArrayList<>(4);
    switch (event.eventType()) {
      case RequestEvent.CONNECT -> {
        boolean accepted = event.status() == 101;
        if (accepted) {
          metrics.add(CONNECT_COUNT);
        }
        addErrors(metrics, connectError(event, accepted));
      }
      case RequestEvent.MESSAGE -> {
        metrics.add(MESSAGE_COUNT);
        addErrors(metrics, knownError(event.errorType()));
      }
      case RequestEvent.DISCONNECT -> {
        // Nothing to count: API Gateway has no disconnect metric.
      }
      default -> {
        return Optional.empty();
      }
    }
    CellId cell = cell(new CellKey(true, event.api(), stage, route, null));
    return Optional.of(new CellSample(cell, event.time(), highResolution, metrics));
  }

  private CellId cell(CellKey key) {
    CellId cell = cells.get(key);
    if (cell == null) {
      if (cells.size() >= MAX_CACHED_CELLS) {
        cells.clear();
      }
      cell = key.toCellId();
      cells.put(key, cell);
    }
    return cell;
  }

  /** The error of a CONNECT: the edge's error type, else a refusal's status class. */
  private static String connectError(RequestEvent event, boolean accepted) {
    String error = knownError(event.errorType());
    if (error != null || accepted) {
      return error;
    }
    int status = event.status();
    return status / 100 == 4 ? CLIENT_ERROR : status / 100 == 5 ? EXECUTION_ERROR : null;
  }

  private static String knownError(String errorType) {
    return errorType != null && ERRORS.contains(errorType) ? errorType : null;
  }

  /** One 0-or-1 sample of each error metric: Sum counts errors, Average is the error rate. */
  private static void addErrors(List<MetricSample> metrics, String error) {
    for (String name : ERRORS) {
      metrics.add(count(name, name.equals(error)));
    }
  }

  private static MetricSample count(String name, boolean one) {
    return new MetricSample.Single(name, "Count", one ? 1 : 0);
  }

  /**
   * The dimension values of a cell: HTTP {api, stage, method, resource} or WebSocket {api, stage,
   * route}; {@code null} where absent.
   */
  private record CellKey(boolean webSocket, String api, String stage, String third, String fourth) {
    CellId toCellId() {
      Map<String, String> dimensions = new LinkedHashMap<>();
      dimensions.put(API_NAME, api);
      if (stage != null) {
        dimensions.put(STAGE, stage);
        if (webSocket && third != null) {
          dimensions.put(ROUTE, third);
        } else if (!webSocket && third != null) {
          dimensions.put(METHOD, third);
          dimensions.put(RESOURCE, fourth);
        }
      }
      return CellId.of(NAMESPACE, dimensions);
    }
  }
}
