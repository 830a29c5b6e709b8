package dev.portico.edge.api;

import dev.portico.edge.routing.PathTemplate;

/**
 * One operation of an API: method ({@code ANY} matches every method) and path template, and its
 * integration.
 */
public record Route(String method, PathTemplate path, Integration integration) {
  public static final String ANY = "ANY";

  /** The route key as API Gateway writes it, e.g. {@code POST /customer/{customer_id}}. */
  public String routeKey() {
    return method + " " + path.template();
  }
}
