package dev.portico.edge.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.edge.api.Integration;
import dev.portico.edge.api.RouteOptions;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.api.WebSocketRoute;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API Gateway's route selection rules as a table. */
class RouteSelectorTest {
  static WebSocketApi api(List<String> path, String... keys) {
    Map<String, WebSocketRoute> routes = new HashMap<>();
    for (String key : keys) {
      routes.put(
          key,
          new WebSocketRoute(
              key, new Integration.Mock(200, Map.of(), key), RouteOptions.NONE, true));
    }
    return new WebSocketApi("$request.body." + String.join(".", path), path, routes, List.of());
  }

  @Test
  void shouldSelectAsApiGatewayDoes() {
    WebSocketApi api = api(List.of("action"), "send", "", "$default", "42", "true");
    Map<String, String> table =
        Map.ofEntries(
            Map.entry("{\"action\":\"send\"}", "send"),
            Map.entry("{\"action\":\"nope\"}", "$default"),
            Map.entry("{\"other\":1}", ""), // absent path selects "" (a route here)
            Map.entry("{\"action\":null}", ""),
            Map.entry("{\"action\":42}", "42"), // scalars as text
            Map.entry("{\"action\":true}", "true"),
            Map.entry("{\"action\":\"$connect\"}", "$default"), // never selectable
            Map.entry("not json", "$default"),
            Map.entry("[\"send\"]", "$default"), // not an object
            Map.entry("\"send\"", "$default"),
            Map.entry("", "$default"));
    table.forEach(
        (message, expected) -> assertEquals(expected, RouteSelector.route(api, message), message));
  }

  @Test
  void shouldFollowNestedPathsAndHaveNoRouteWithoutDefault() {
    WebSocketApi api = api(List.of("op", "name"), "ping");
    assertEquals("ping", RouteSelector.route(api, "{\"op\":{\"name\":\"ping\"}}"));
    assertNull(RouteSelector.route(api, "{\"op\":{\"name\":\"pong\"}}"));
    assertNull(RouteSelector.route(api, "{\"op\":{}}"), "\"\" has no route and no $default");
    assertNull(RouteSelector.route(api, "garbage"));
  }

  @Test
  void shouldEncodeTheReplicaInConnectionIds() {
    for (int instance : new int[] {0, 1, 7, 9_999}) {
      String id = ConnectionIds.next(instance);
      assertEquals(16, id.length());
      assertEquals(instance, ConnectionIds.owner(id));
    }
    assertEquals(-1, ConnectionIds.owner("short"));
    assertEquals(-1, ConnectionIds.owner("!!!!!!!!!!!!!!!!"));
    assertEquals(-1, ConnectionIds.owner(null));
  }
}
