package dev.portico.edge.integration;

import dev.portico.edge.mapping.ParameterMapping.MappedRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers an {@code http} integration copies between client and backend: hop-by-hop headers
 * (RFC 9110 7.6.1, plus any the {@code Connection} header names) and {@code host} are dropped both
 * ways.
 */
final class ProxyHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private ProxyHeaders() {}

  /** The request's headers as the route's mapping left them (hop-by-hop ones dropped later). */
  static MultiMap of(HttpServerRequest request, MappedRequest mapped) {
    return mapped.headers() == null ? request.headers() : multiMap(mapped.headers());
  }

  static MultiMap multiMap(List<Map.Entry<String, String>> entries) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    entries.forEach(e -> out.add(e.getKey(), e.getValue()));
    return out;
  }

  static List<Map.Entry<String, String>> list(MultiMap headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
    headers.forEach((name, value) -> out.add(Map.entry(name, value)));
    return out;
  }

  /** Copies {@code from} into {@code to} without hop-by-hop headers and {@code host}. */
  static void copy(MultiMap from, MultiMap to) {
    Set<String> named = new HashSet<>();
    for (String connection : from.getAll("connection")) {
      for (String token : connection.split(",")) {
        named.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.equals("host")) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }
}
