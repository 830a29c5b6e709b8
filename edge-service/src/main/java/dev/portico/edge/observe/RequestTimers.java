package dev.portico.edge.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The data plane's request timer ({@code portico.edge.requests}), one per API, stage, method, route
 * template, status and canary flag. Looked up in a map of its own: building and registering a
 * six-tag meter id on every request cost the data plane measurable throughput.
 */
public final class RequestTimers {
  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  private record Key(
      String api, String stage, String method, String resource, int status, boolean canary) {}

  public RequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(
      String api,
      String stage,
      String method,
      String resource,
      int status,
      boolean canary,
      long nanos) {
    timers
        .computeIfAbsent(new Key(api, stage, method, resource, status, canary), this::register)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer register(Key key) {
    return Timer.builder("portico.edge.requests")
        .description("Requests through the data plane, by route template")
        .tags(
            "api", key.api(),
            "stage", key.stage(),
            "method", key.method(),
            "resource", key.resource(),
            "status", Integer.toString(key.status()),
            "canary", Boolean.toString(key.canary()))
        .register(registry);
  }
}
