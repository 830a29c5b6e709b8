package dev.portico.edge.api;

import java.util.List;

/** A named set of routes, as read from one OpenAPI document, with its API-wide policies. */
public record ApiDefinition(String name, List<Route> routes, ApiPolicies policies) {
  public ApiDefinition {
    routes = List.copyOf(routes);
  }

  public ApiDefinition(String name, List<Route> routes) {
    this(name, routes, ApiPolicies.NONE);
  }
}
