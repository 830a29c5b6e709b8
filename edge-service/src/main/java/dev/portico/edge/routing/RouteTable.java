package dev.portico.edge.routing;

import dev.portico.edge.api.Route;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the route for a method and path. Among matching routes the most specific path wins
 * segment by segment (literal over {@code {param}} over {@code {proxy+}}); for equal paths an exact
 * method beats {@code ANY}. Immutable; built once per deployment.
 */
public final class RouteTable {
  private final List<Route> routes;

  public RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  /**
   * @param path the resource path after the stage, e.g. {@code /customer/1230AWS}
   */
  public Optional<RouteMatch> match(String method, String path) {
    List<String> segments = split(path);
    RouteMatch best = null;
    for (Route route : routes) {
      if (!route.method().equals(method) && !route.method().equals(Route.ANY)) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      if (!route.path().match(segments, params)) {
        continue;
      }
      if (best == null || beats(route, best.route())) {
        best = new RouteMatch(route, Map.copyOf(params));
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean beats(Route candidate, Route current) {
    int c = candidate.path().compareSpecificity(current.path());
    if (c != 0) {
      return c < 0;
    }
    return !candidate.method().equals(Route.ANY) && current.method().equals(Route.ANY);
  }

  static List<String> split(String path) {
    List<String> segments = new ArrayList<>();
    if (path.isEmpty() || path.equals("/")) {
      return segments;
    }
    for (String raw : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
      segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return segments;
  }
}
