package dev.portico.alarm;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;

/**
 * alarm-service configuration.
 *
 * @param http {@code PORTICO_ALARM_PORT} (8094): the service's HTTP port (/health, /ready,
 *     /metrics)
 */
public record AlarmConfig(KafkaSettings kafka, HttpEndpoint http) {
  public static AlarmConfig read(ConfigReader env) {
    return new AlarmConfig(
        KafkaSettings.read(env), HttpEndpoint.read(env, "PORTICO_ALARM_PORT", 8094));
  }
}
