package dev.portico.metrics;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;

/**
 * metrics-service configuration.
 *
 * @param http {@code PORTICO_METRICS_PORT} (8093): the service's HTTP port (/health, /ready,
 *     /metrics)
 */
public record MetricsConfig(KafkaSettings kafka, HttpEndpoint http) {
  public static MetricsConfig read(ConfigReader env) {
    return new MetricsConfig(
        KafkaSettings.read(env), HttpEndpoint.read(env, "PORTICO_METRICS_PORT", 8093));
  }
}
