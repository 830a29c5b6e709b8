package dev.portico.edge.integration;

import dev.portico.edge.routing.RouteMatch;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the backend URI of an {@code http} integration: path parameters, mapped path, query. */
final class BackendUri {
  private BackendUri() {}

  /**
   * Fills {@code {name}} (or {@code {name+}}) in a backend URI with the path parameters, encoded: a
   * greedy parameter keeps its slashes, any other is one segment.
   */
  static String fill(String uri, RouteMatch match) {
    if (match.pathParameters().isEmpty() || uri.indexOf('{') < 0) {
      return uri;
    }
    String out = uri;
    for (Map.Entry<String, String> p : match.pathParameters().entrySet()) {
      String value =
          match.route().path().isGreedy(p.getKey())
              ? encodePath(p.getValue())
              : encodeSegment(p.getValue());
      out = out.replace("{" + p.getKey() + "+}", value).replace("{" + p.getKey() + "}", value);
    }
    return out;
  }

  private static String encodeSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String value) {
    return encodeSegment(value).replace("%2F", "/");
  }

  /** {@code uri} with its path replaced by {@code path} (its query, if any, kept). */
  static String withPath(String uri, String path) {
    int authority = uri.indexOf("://");
    int pathStart = uri.indexOf('/', authority < 0 ? 0 : authority + 3);
    int queryStart = uri.indexOf('?');
    String origin =
        pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)
            ? (queryStart < 0 ? uri : uri.substring(0, queryStart))
            : uri.substring(0, pathStart);
    return origin + path + (queryStart < 0 ? "" : uri.substring(queryStart));
  }

  /** {@code uri} with {@code query} appended (after its own query, if any). */
  static String withQuery(String uri, String query) {
    if (query == null || query.isEmpty()) {
      return uri;
    }
    return uri + (uri.indexOf('?') < 0 ? "?" : "&") + query;
  }
}
