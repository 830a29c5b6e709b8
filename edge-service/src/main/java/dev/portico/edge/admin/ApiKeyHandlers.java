package dev.portico.edge.admin;

import dev.portico.contracts.edge.ApiKeyRecord;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apikeys}: create (the answer is the only one that shows the key's value), list, read,
 * enable or disable and rename, delete. A key is shown without its hash.
 */
final class ApiKeyHandlers {
  private final GatewayAdmin admin;
  private final ApiKeyAdmin keys;

  ApiKeyHandlers(GatewayAdmin admin, ApiKeyAdmin keys) {
    this.admin = admin;
    this.keys = keys;
  }

  /** Body: {@code {"name", "description"?, "enabled"?, "value"?}}. */
  Map<String, Object> create(AdminRequest request) {
    JsonFields body = request.body().object();
    ApiKeyAdmin.CreatedKey created =
        keys.createKey(
            body.text("name"), body.text("description"), body.flag("enabled"), body.text("value"));
    Map<String, Object> out = view(created.key());
    out.put("value", created.value());
    return out;
  }

  List<Map<String, Object>> list(AdminRequest request) {
    return admin.config().apiKeys().values().stream()
        .sorted(Comparator.comparing(ApiKeyRecord::createdAt))
        .map(ApiKeyHandlers::view)
        .toList();
  }

  Map<String, Object> get(AdminRequest request) {
    return view(keys.key(request.path("key")));
  }

  /** Body: any of {@code enabled}, {@code name}, {@code description}. */
  Map<String, Object> patch(AdminRequest request) {
    JsonFields body = request.body().object();
    return view(
        keys.updateKey(
            request.path("key"),
            body.flag("enabled"),
            body.text("name"),
            body.text("description")));
  }

  void delete(AdminRequest request) {
    keys.deleteKey(request.path("key"));
  }

  static Map<String, Object> view(ApiKeyRecord key) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", key.id());
    out.put("name", key.name());
    out.put("description", key.description());
    out.put("enabled", key.enabled());
    out.put("createdAt", key.createdAt());
    return out;
  }
}
