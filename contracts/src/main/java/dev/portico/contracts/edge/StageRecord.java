package dev.portico.contracts.edge;

import java.util.Map;

/**
 * A stage: the name in the invoke URL ({@code /{name}/...}), the API and deployment it serves, its
 * variables and an optional canary. Stage names are unique across the gateway, so the first path
 * segment alone picks the API.
 */
public record StageRecord(
    String name,
    String apiId,
    String deploymentId,
    String description,
    Map<String, String> variables,
    CanarySettings canary,
    String createdAt,
    String updatedAt,
    StageSettings settings)
    implements GatewayEntity {
  public StageRecord {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
    settings = settings == null ? StageSettings.NONE : settings;
  }

  public StageRecord withDeployment(String deployment, CanarySettings newCanary, String now) {
    return new StageRecord(
        name, apiId, deployment, description, variables, newCanary, createdAt, now, settings);
  }

  public StageRecord withSettings(StageSettings newSettings, String now) {
    return new StageRecord(
        name, apiId, deploymentId, description, variables, canary, createdAt, now, newSettings);
  }
}
