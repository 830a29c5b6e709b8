package dev.portico.edge.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a mapping value may read: the request as the client sent it (before any mapping), the
 * stage's variables, the {@code $context} variables and the authorizer's context. Values are always
 * read from these, never from what earlier mappings wrote, so the order of the mappings decides
 * only what the integration receives.
 *
 * @param path the request path without the stage, as sent (still percent-encoded)
 * @param pathParameters the route's path parameters, decoded
 * @param headers the request's headers in order, repeated names repeated
 * @param query the request's query parameters in order, decoded, repeated names repeated
 * @param context {@code $context} variables by name ({@code requestId}, {@code identity.sourceIp},
 *     ...), without the authorizer's
 * @param authorizer {@code $context.authorizer.*}: what the route's authorizer said about the
 *     caller (JWT claims under {@code claims}); empty without an authorizer
 */
public record MappingSources(
    String path,
    Map<String, String> pathParameters,
    List<Map.Entry<String, String>> headers,
    List<Map.Entry<String, String>> query,
    Map<String, String> stageVariables,
    Map<String, String> context,
    Map<String, Object> authorizer) {

  /** A header's values joined with commas, as API Gateway does; names are case-insensitive. */
  String header(String name) {
    return joined(headers, name, true);
  }

  /** A query parameter's values joined with commas; names are case-sensitive. */
  String query(String name) {
    return joined(query, name, false);
  }

  /**
   * {@code $context.authorizer.a.b}: {@code b} of the map under {@code a}; a list or map value as
   * its JSON-ish {@code toString}, anything else as text.
   */
  String authorizer(String dottedKey) {
    Object at = authorizer;
    for (String part : dottedKey.split("\\.", -1)) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(part);
    }
    return at == null ? null : at.toString();
  }

  static String joined(List<Map.Entry<String, String>> entries, String name, boolean anyCase) {
    StringBuilder out = null;
    for (Map.Entry<String, String> e : entries) {
      if (anyCase ? e.getKey().equalsIgnoreCase(name) : e.getKey().equals(name)) {
        out = out == null ? new StringBuilder(e.getValue()) : out.append(',').append(e.getValue());
      }
    }
    return out == null ? null : out.toString();
  }

  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
