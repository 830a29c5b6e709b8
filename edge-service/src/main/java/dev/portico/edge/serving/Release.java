package dev.portico.edge.serving;

import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.Route;
import dev.portico.edge.routing.RouteTable;
import java.util.List;
import java.util.Map;

/**
 * One deployment as a stage serves it: the routes with the stage's variables already substituted
 * into their targets, so a request does no template work.
 *
 * @param canary whether this is the stage's canary release
 */
public record Release(
    String apiId,
    String apiName,
    String stage,
    String deploymentId,
    RouteTable routes,
    Map<String, String> variables,
    boolean canary) {

  public static Release of(
      String apiId,
      String stage,
      String deploymentId,
      ApiDefinition api,
      Map<String, String> variables,
      boolean canary) {
    List<Route> resolved =
        api.routes().stream()
            .map(r -> new Route(r.method(), r.path(), r.integration().resolve(variables)))
            .toList();
    return new Release(
        apiId,
        api.name(),
        stage,
        deploymentId,
        new RouteTable(resolved),
        Map.copyOf(variables),
        canary);
  }
}
