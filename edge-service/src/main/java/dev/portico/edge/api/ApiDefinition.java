package dev.portico.edge.api;

import java.util.List;

/** A named set of routes, as read from one OpenAPI document. */
public record ApiDefinition(String name, List<Route> routes) {
  public ApiDefinition {
    routes = List.copyOf(routes);
  }
}
