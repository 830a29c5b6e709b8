package dev.portico.edge.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** Admin requests as a handler sees them, built without a server. */
final class AdminRequests {
  private AdminRequests() {}

  static AdminRequest request(Map<String, String> path, Map<String, String> query) {
    return request(path, query, Map.of(), null);
  }

  static AdminRequest request(
      Map<String, String> path,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    return new AdminRequest(
        path,
        MultiMap.caseInsensitiveMultiMap().addAll(query),
        MultiMap.caseInsensitiveMultiMap().addAll(headers),
        body == null ? null : Buffer.buffer(body));
  }
}
