package dev.portico.stream;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;

/**
 * stream-service configuration.
 *
 * @param http {@code PORTICO_STREAM_PORT} (8092): the service's HTTP port (/health, /ready,
 *     /metrics)
 */
public record StreamConfig(KafkaSettings kafka, HttpEndpoint http) {
  public static StreamConfig read(ConfigReader env) {
    return new StreamConfig(
        KafkaSettings.read(env), HttpEndpoint.read(env, "PORTICO_STREAM_PORT", 8092));
  }
}
