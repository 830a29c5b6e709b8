package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import java.util.HashMap;
import java.util.Map;

/** Request events as the edge builds them for the customer-api routes. */
final class Requests {
  private final String routeKey;
  private final Map<String, String> headers = new HashMap<>();
  private String id;
  private String body;

  private Requests(String routeKey) {
    this.routeKey = routeKey;
  }

  static Requests route(String routeKey) {
    return new Requests(routeKey);
  }

  static Requests post(String body) {
    return new Requests("POST /customer").body(body);
  }

  static Requests put(String id, String body) {
    return new Requests("PUT /customer/{customer_id}").id(id).body(body);
  }

  static Requests patch(String id, String body) {
    return new Requests("PATCH /customer/{customer_id}").id(id).body(body);
  }

  static Requests get(String id) {
    return new Requests("GET /customer/{customer_id}").id(id);
  }

  static Requests delete(String id) {
    return new Requests("DELETE /customer/{customer_id}").id(id);
  }

  Requests id(String value) {
    id = value;
    return this;
  }

  Requests body(String value) {
    body = value;
    return this;
  }

  Requests header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  FunctionRequest build() {
    return new FunctionRequest(
        "2.0",
        routeKey,
        "/prod/customer",
        "",
        Map.copyOf(headers),
        null,
        id == null ? null : Map.of("customer_id", id),
        null,
        body,
        false,
        null);
  }
}
