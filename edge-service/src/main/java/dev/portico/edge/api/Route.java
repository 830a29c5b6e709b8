package dev.portico.edge.api;

/**
 * One operation of an API: method ({@code ANY} matches every method) and path template, its
 * integration, and what it requires of a request ({@link RouteOptions}).
 */
public record Route(
    String method, PathTemplate path, Integration integration, RouteOptions options) {
  public static final String ANY = "ANY";

  public Route(String method, PathTemplate path, Integration integration) {
    this(method, path, integration, RouteOptions.NONE);
  }

  /** The route key as API Gateway writes it, e.g. {@code POST /customer/{customer_id}}. */
  public String routeKey() {
    return method + " " + path.template();
  }

  public Route withIntegration(Integration resolved) {
    return new Route(method, path, resolved, options);
  }
}
