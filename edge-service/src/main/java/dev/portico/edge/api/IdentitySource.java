package dev.portico.edge.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One identity source of an authorizer function, in API Gateway's HTTP API syntax: {@code
 * $request.header.NAME}, {@code $request.querystring.NAME}, {@code $stageVariables.NAME}, {@code
 * $context.routeKey} or {@code $context.identity.sourceIp}. A request that lacks one is refused
 * before the function is asked; the values together are the verdict's cache key.
 */
public record IdentitySource(Kind kind, String name) {
  /** Where the value comes from. */
  public enum Kind {
    HEADER,
    QUERY,
    STAGE_VARIABLE,
    ROUTE_KEY,
    SOURCE_IP
  }

  private static final Pattern SYNTAX =
      Pattern.compile("\\$(request\\.header|request\\.querystring|stageVariables)\\.([^\\s,]+)");

  /** The source an expression names, or {@code null} when it names none Portico knows. */
  public static IdentitySource parse(String expression) {
    String e = expression.trim();
    if (e.equals("$context.routeKey")) {
      return new IdentitySource(Kind.ROUTE_KEY, null);
    }
    if (e.equals("$context.identity.sourceIp")) {
      return new IdentitySource(Kind.SOURCE_IP, null);
    }
    Matcher m = SYNTAX.matcher(e);
    if (!m.matches()) {
      return null;
    }
    return switch (m.group(1)) {
      case "request.header" -> new IdentitySource(Kind.HEADER, m.group(2).toLowerCase(Locale.ROOT));
      case "request.querystring" -> new IdentitySource(Kind.QUERY, m.group(2));
      default -> new IdentitySource(Kind.STAGE_VARIABLE, m.group(2));
    };
  }

  /** The expression, as written in a document. */
  public String expression() {
    return switch (kind) {
      case HEADER -> "$request.header." + name;
      case QUERY -> "$request.querystring." + name;
      case STAGE_VARIABLE -> "$stageVariables." + name;
      case ROUTE_KEY -> "$context.routeKey";
      case SOURCE_IP -> "$context.identity.sourceIp";
    };
  }
}
