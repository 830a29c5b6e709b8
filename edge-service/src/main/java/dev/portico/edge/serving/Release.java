package dev.portico.edge.serving;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.ApiPolicies;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.policy.IpPolicy;
import dev.portico.edge.routing.RouteTable;
import java.util.Map;

/**
 * One deployment as a stage serves it: the routes with the stage's variables already substituted
 * into their targets (so a request does no template work), the API's policies and the stage's
 * settings.
 *
 * @param canary whether this is the stage's canary release
 * @param stageIpPolicy the stage's resource policy (the API's is in {@code policies})
 * @param websocket the WebSocket routes with the stage's variables substituted, or {@code null}
 * @param usesStageCache whether its requests use the stage's response cache: always for the main
 *     release, per the canary's {@code useStageCache} for the canary
 */
public record Release(
    String apiId,
    String apiName,
    String stage,
    String deploymentId,
    RouteTable routes,
    Map<String, String> variables,
    boolean canary,
    ApiPolicies policies,
    StageSettings settings,
    IpPolicy stageIpPolicy,
    WebSocketApi websocket,
    boolean usesStageCache) {

  public static Release of(
      String apiId,
      String stage,
      String deploymentId,
      ApiDefinition api,
      Map<String, String> variables,
      boolean canary,
      boolean usesStageCache,
      StageSettings settings,
      IpPolicy stageIpPolicy) {
    return new Release(
        apiId,
        api.name(),
        stage,
        deploymentId,
        new RouteTable(
            api.routes().stream()
                .map(r -> r.withIntegration(r.integration().resolve(variables)))
                .toList()),
        Map.copyOf(variables),
        canary,
        api.policies(),
        settings,
        stageIpPolicy,
        api.websocket() == null ? null : api.websocket().resolve(variables),
        usesStageCache);
  }
}
