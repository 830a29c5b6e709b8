package dev.portico.edge.steps;

import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The rule for percent-escapes in a query string: every {@code %} starts two hex digits. A query
 * string that breaks it cannot be decoded (Vert.x's decoder throws on it), so the request is the
 * client's error, 400 naming the parameter, before any integration runs: on every route alike,
 * {@code http} routes too although they pass the query on undecoded, so that a route's answer does
 * not depend on which integration it has and no backend gets a query its decoder would refuse.
 */
public final class QueryEncoding implements Step {
  /** A parameter name is quoted in the message up to this many characters. */
  static final int MAX_NAME_CHARS = 64;

  @Override
  public Future<Integer> apply(Exchange ex) {
    Rejection broken = check(ex.request().query());
    return broken == null ? NEXT : Future.failedFuture(broken);
  }

  /**
   * The 400 for a query string with a broken escape; {@code null} when it is well formed (nothing
   * allocated then: this runs for every request).
   */
  static Rejection check(String query) {
    int broken = query == null ? -1 : brokenEscape(query);
    if (broken < 0) {
      return null;
    }
    GatewayError error = GatewayError.BAD_QUERY;
    return new Rejection(
        error.status(),
        error.message() + " in parameter '" + parameterAt(query, broken) + "'",
        error.type(),
        Map.of(),
        List.of());
  }

  /** The index of the first {@code %} not followed by two hex digits, or -1. */
  static int brokenEscape(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The raw name of the parameter holding {@code index}: from the separator before it ({@code &} or
   * {@code ;}, as the decoder splits) to its {@code =}.
   */
  static String parameterAt(String query, int index) {
    int start = Math.max(query.lastIndexOf('&', index), query.lastIndexOf(';', index)) + 1;
    int end = start;
    while (end < query.length() && "&;=".indexOf(query.charAt(end)) < 0) {
      end++;
    }
    String name = query.substring(start, end);
    return name.length() <= MAX_NAME_CHARS ? name : name.substring(0, MAX_NAME_CHARS) + "...";
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
