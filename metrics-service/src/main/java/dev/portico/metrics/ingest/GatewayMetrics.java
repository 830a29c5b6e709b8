package dev.portico.metrics.ingest;

import dev.portico.contracts.RequestEvent;
import dev.portico.metrics.model.CellId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one gateway request into API Gateway's CloudWatch metrics in namespace {@code
 * Portico/Gateway}: Count (1), Latency and IntegrationLatency (ms; the latter only when an
 * integration was called, i.e. a type is named and its latency is above 0), 4XXError and 5XXError
 * (0 or 1, so their Average is the error rate) and, on routes with a cache, CacheHitCount and
 * CacheMissCount (0 or 1). The sample goes to the most specific cell the event names ({ApiName,
 * Stage, Method, Resource}); the coarser cells {ApiName, Stage} and {ApiName} are derived when the
 * period closes ({@link GatewayRollup}).
 */
public final class GatewayMetrics {
  public static final String NAMESPACE = "Portico/Gateway";
  public static final String API_NAME = "ApiName";
  public static final String STAGE = "Stage";
  public static final String METHOD = "Method";
  public static final String RESOURCE = "Resource";

  private GatewayMetrics() {}

  /** The event's samples, or empty when it names no API (or a dimension breaks the limits). */
  public static Optional<CellSample> samples(RequestEvent event, boolean highResolution) {
    if (event == null || !DatumRules.isDimensionValue(event.api())) {
      return Optional.empty();
    }
    Map<String, String> dimensions = new LinkedHashMap<>();
    dimensions.put(API_NAME, event.api());
    if (DatumRules.isDimensionValue(event.stage())) {
      dimensions.put(STAGE, event.stage());
      if (DatumRules.isDimensionValue(event.method())
          && DatumRules.isDimensionValue(event.resource())) {
        dimensions.put(METHOD, event.method());
        dimensions.put(RESOURCE, event.resource());
      }
    }
    List<MetricSample> metrics = new ArrayList<>(7);
    metrics.add(new MetricSample.Single("Count", "Count", 1));
    metrics.add(new MetricSample.Single("Latency", "Milliseconds", event.latencyMs()));
    // The edge reports 0 when the integration was never called (throttled, refused, no route).
    if (event.integrationType() != null && event.integrationLatencyMs() > 0) {
      metrics.add(
          new MetricSample.Single(
              "IntegrationLatency", "Milliseconds", event.integrationLatencyMs()));
    }
    int status = event.status();
    metrics.add(new MetricSample.Single("4XXError", "Count", status / 100 == 4 ? 1 : 0));
    metrics.add(new MetricSample.Single("5XXError", "Count", status / 100 == 5 ? 1 : 0));
    if (event.cacheHit() != null) {
      boolean hit = event.cacheHit();
      metrics.add(new MetricSample.Single("CacheHitCount", "Count", hit ? 1 : 0));
      metrics.add(new MetricSample.Single("CacheMissCount", "Count", hit ? 0 : 1));
    }
    return Optional.of(
        new CellSample(CellId.of(NAMESPACE, dimensions), event.time(), highResolution, metrics));
  }
}
