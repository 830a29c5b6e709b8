package dev.portico.contracts.edge;

import java.util.Map;

/**
 * A stage's canary: {@code percentTraffic} of requests run {@code deploymentId} with the stage's
 * variables overlaid by {@code stageVariableOverrides}.
 *
 * @param useStageCache whether canary requests may use the stage's response cache
 */
public record CanarySettings(
    double percentTraffic,
    String deploymentId,
    Map<String, String> stageVariableOverrides,
    boolean useStageCache) {
  public CanarySettings {
    stageVariableOverrides =
        stageVariableOverrides == null ? Map.of() : Map.copyOf(stageVariableOverrides);
  }
}
