package dev.portico.edge.api;

import dev.portico.edge.mapping.ParameterMapping;

/**
 * One operation of an API: method ({@code ANY} matches every method) and path template, its
 * integration, what it requires of a request ({@link RouteOptions}), and how requests and responses
 * are mapped on the way to and from the integration ({@link ParameterMapping}).
 */
public record Route(
    String method,
    PathTemplate path,
    Integration integration,
    RouteOptions options,
    ParameterMapping mapping) {
  public static final String ANY = "ANY";

  public Route(String method, PathTemplate path, Integration integration) {
    this(method, path, integration, RouteOptions.NONE);
  }

  public Route(String method, PathTemplate path, Integration integration, RouteOptions options) {
    this(method, path, integration, options, ParameterMapping.NONE);
  }

  /** The route key as API Gateway writes it, e.g. {@code POST /customer/{customer_id}}. */
  public String routeKey() {
    return method + " " + path.template();
  }

  public Route withIntegration(Integration resolved) {
    return new Route(method, path, resolved, options, mapping);
  }
}
