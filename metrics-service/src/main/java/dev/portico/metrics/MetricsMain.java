package dev.portico.metrics;

import dev.portico.runtime.ServiceMain;

/** Runs metrics-service alone, configured by PORTICO_* variables. */
public final class MetricsMain {
  private MetricsMain() {}

  public static void main(String[] args) {
    ServiceMain.run((vertx, env) -> new MetricsService(vertx, MetricsConfig.read(env)));
  }
}
