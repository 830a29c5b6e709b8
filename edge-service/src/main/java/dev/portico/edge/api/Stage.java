package dev.portico.edge.api;

import dev.portico.edge.routing.RouteTable;
import java.util.Map;

/** A stage serving one deployment of one API: what {@code /{stage}/...} requests are routed by. */
public record Stage(
    String name, ApiDefinition api, RouteTable routes, Map<String, String> variables) {
  public static final String NAME_PATTERN = "[A-Za-z0-9_-]{1,128}";

  public static Stage of(String name, ApiDefinition api, Map<String, String> variables) {
    return new Stage(name, api, new RouteTable(api.routes()), Map.copyOf(variables));
  }
}
