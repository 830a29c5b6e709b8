package dev.portico.edge;

import dev.portico.edge.api.Stage;
import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * edge-service configuration.
 *
 * @param data {@code PORTICO_EDGE_PORT} (8080): the data plane
 * @param ops {@code PORTICO_EDGE_OPS_PORT} (8090): /health, /ready, /metrics
 * @param instance {@code PORTICO_EDGE_INSTANCE} (0): this replica's reply partition; distinct per
 *     replica, below the reply topic's partition count
 * @param integrationTimeout {@code PORTICO_EDGE_INTEGRATION_TIMEOUT_MS} (29000): default per-route
 *     timeout
 * @param apiFile {@code PORTICO_EDGE_API_FILE}: an OpenAPI document to serve instead of the bundled
 *     customer-api
 * @param stages {@code PORTICO_EDGE_STAGES} (dev,test,prod): stages serving the API at start-up
 */
public record EdgeConfig(
    KafkaSettings kafka,
    HttpEndpoint data,
    HttpEndpoint ops,
    int instance,
    Duration integrationTimeout,
    String apiFile,
    List<String> stages) {

  public static EdgeConfig read(ConfigReader env) {
    List<String> stages =
        Arrays.stream(env.string("PORTICO_EDGE_STAGES", "dev,test,prod").split(","))
            .map(String::trim)
            .toList();
    for (String stage : stages) {
      if (!stage.matches(Stage.NAME_PATTERN)) {
        throw new ConfigException(
            "Invalid value for PORTICO_EDGE_STAGES: stage '"
                + stage
                + "' (expected names of 1-128 of A-Z a-z 0-9 _ -)");
      }
    }
    return new EdgeConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_EDGE_PORT", 8080),
        HttpEndpoint.read(env, "PORTICO_EDGE_OPS_PORT", 8090),
        env.integer("PORTICO_EDGE_INSTANCE", 0, 0, 9_999),
        env.millis(
            "PORTICO_EDGE_INTEGRATION_TIMEOUT_MS",
            Duration.ofMillis(29_000),
            Duration.ofMillis(50),
            Duration.ofMillis(29_000)),
        env.string("PORTICO_EDGE_API_FILE", ""),
        stages);
  }
}
