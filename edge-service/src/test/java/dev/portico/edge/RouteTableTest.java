package dev.portico.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.edge.api.Integration;
import dev.portico.edge.api.PathTemplate;
import dev.portico.edge.api.Route;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.routing.RouteTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {
  static Route route(String method, String path) {
    return new Route(method, PathTemplate.parse(path), new Integration.Mock(200, Map.of(), path));
  }

  static final RouteTable TABLE =
      new RouteTable(
          List.of(
              route("GET", "/customer/{customer_id}"),
              route("GET", "/customer/me"),
              route("ANY", "/customer/me"),
              route("POST", "/customer"),
              route("ANY", "/files/{proxy+}"),
              route("GET", "/files/{name}"),
              route("GET", "/")));

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource({
    "GET, /customer/me, GET, /customer/me",
    "DELETE, /customer/me, ANY, /customer/me",
    "GET, /customer/1230AWS, GET, /customer/{customer_id}",
    "POST, /customer, POST, /customer",
    "GET, /files/a.txt, GET, /files/{name}",
    "GET, /files/a/b/c.txt, ANY, /files/{proxy+}",
    "PUT, /files/a.txt, ANY, /files/{proxy+}",
    "GET, /, GET, /",
  })
  void shouldPreferExactOverParameterOverGreedyAndMethodOverAny(
      String method, String path, String routeMethod, String template) {
    RouteMatch match = TABLE.match(method, path).orElseThrow();
    assertEquals(routeMethod + " " + template, match.route().routeKey());
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /customer",
    "GET, /orders",
    "POST, /customer/1",
    "GET, /files",
    "GET, /customer/a/b"
  })
  void shouldFindNoRouteWhenNothingMatches(String method, String path) {
    assertEquals(Optional.empty(), TABLE.match(method, path));
  }

  @ParameterizedTest
  @CsvSource({"/customer/12%2030, 12 30", "/customer/a+b, a+b"})
  void shouldBindDecodedPathParameters(String path, String expected) {
    RouteMatch match = TABLE.match("GET", path).orElseThrow();
    assertEquals(expected, match.pathParameters().get("customer_id"));
  }

  @org.junit.jupiter.api.Test
  void shouldBindTheRestOfThePathToAGreedyParameter() {
    RouteMatch match = TABLE.match("GET", "/files/a/b/c.txt").orElseThrow();
    assertEquals("a/b/c.txt", match.pathParameters().get("proxy"));
    assertTrue(match.route().path().template().endsWith("{proxy+}"));
  }
}
