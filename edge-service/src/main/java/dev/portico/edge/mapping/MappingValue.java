package dev.portico.edge.mapping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter mapping's value, as API Gateway's HTTP APIs write it: a constant ({@code v2}); one
 * reference as the whole value ({@code $request.header.x-user}); or text with references in braces
 * ({@code ${request.path.id}-${stageVariables.env}}). A reference names the request (header, query
 * parameter, path parameter, path), a {@code $context} variable (the authorizer's context under
 * {@code $context.authorizer.}), a stage variable or, in a response mapping, a response header.
 * Request and response bodies are not read (the edge streams them).
 */
public final class MappingValue {
  /** Where a reference reads. */
  enum Source {
    REQUEST_HEADER,
    REQUEST_QUERYSTRING,
    REQUEST_PATH_PARAMETER,
    REQUEST_PATH,
    CONTEXT,
    AUTHORIZER,
    STAGE_VARIABLE,
    RESPONSE_HEADER
  }

  /** The {@code $context} variables a value may name, besides {@code authorizer.*}. */
  public static final Set<String> CONTEXT_VARIABLES =
      Set.of(
          "apiId",
          "domainName",
          "httpMethod",
          "identity.apiKeyId",
          "identity.sourceIp",
          "identity.userAgent",
          "path",
          "protocol",
          "requestId",
          "requestTime",
          "requestTimeEpoch",
          "routeKey",
          "stage");

  private static final String TOKEN = "[A-Za-z0-9!#%&'*+.^_`|~-]+";
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(request\\.header\\.(?<reqHeader>"
              + TOKEN
              + ")|request\\.querystring\\.(?<query>[^\\s${}]+)"
              + "|request\\.path\\.(?<pathParam>[A-Za-z0-9_.-]+)|(?<path>request\\.path)"
              + "|context\\.(?<context>[A-Za-z0-9._]+)"
              + "|stageVariables\\.(?<stageVar>[A-Za-z0-9_]+)"
              + "|response\\.header\\.(?<respHeader>"
              + TOKEN
              + "))");

  private record Part(String text, Source source, String name) {}

  private final String written;
  private final List<Part> parts;

  private MappingValue(String written, List<Part> parts) {
    this.written = written;
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code value}
   */
  public static MappingValue parse(String value) {
    List<Part> parts = new ArrayList<>();
    if (value.startsWith("$") && !value.startsWith("${")) {
      parts.add(reference(value.substring(1)));
      return new MappingValue(value, parts);
    }
    int at = 0;
    while (at < value.length()) {
      int open = value.indexOf("${", at);
      if (open < 0) {
        parts.add(new Part(value.substring(at), null, null));
        break;
      }
      if (open > at) {
        parts.add(new Part(value.substring(at, open), null, null));
      }
      int close = value.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("'${' without its '}' in " + value);
      }
      parts.add(reference(value.substring(open + 2, close)));
      at = close + 1;
    }
    return new MappingValue(value, parts);
  }

  private static Part reference(String expression) {
    if (expression.equals("request.body") || expression.startsWith("request.body.")) {
      throw new IllegalArgumentException(
          "$" + expression + ": the request body cannot be mapped (the edge streams it)");
    }
    if (expression.equals("response.body") || expression.startsWith("response.body.")) {
      throw new IllegalArgumentException(
          "$" + expression + ": the response body cannot be mapped (the edge streams it)");
    }
    Matcher m = REFERENCE.matcher(expression);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "$"
              + expression
              + ": not a reference; use $request.header.X, $request.querystring.X,"
              + " $request.path.X, $request.path, $context.X, $stageVariables.X or"
              + " $response.header.X");
    }
    if (m.group("reqHeader") != null) {
      return new Part(null, Source.REQUEST_HEADER, m.group("reqHeader"));
    }
    if (m.group("query") != null) {
      return new Part(null, Source.REQUEST_QUERYSTRING, m.group("query"));
    }
    if (m.group("pathParam") != null) {
      return new Part(null, Source.REQUEST_PATH_PARAMETER, m.group("pathParam"));
    }
    if (m.group("path") != null) {
      return new Part(null, Source.REQUEST_PATH, null);
    }
    if (m.group("stageVar") != null) {
      return new Part(null, Source.STAGE_VARIABLE, m.group("stageVar"));
    }
    if (m.group("respHeader") != null) {
      return new Part(null, Source.RESPONSE_HEADER, m.group("respHeader"));
    }
    String context = m.group("context");
    if (context.startsWith("authorizer.") && context.length() > "authorizer.".length()) {
      return new Part(null, Source.AUTHORIZER, context.substring("authorizer.".length()));
    }
    if (!CONTEXT_VARIABLES.contains(context)) {
      throw new IllegalArgumentException(
          "$context."
              + context
              + ": unknown; known are authorizer.*, "
              + String.join(", ", new java.util.TreeSet<>(CONTEXT_VARIABLES)));
    }
    return new Part(null, Source.CONTEXT, context);
  }

  /** Whether the value reads the request (not allowed in a response mapping). */
  public boolean readsRequest() {
    return parts.stream()
        .anyMatch(
            p ->
                p.source() == Source.REQUEST_HEADER
                    || p.source() == Source.REQUEST_QUERYSTRING
                    || p.source() == Source.REQUEST_PATH_PARAMETER
                    || p.source() == Source.REQUEST_PATH);
  }

  /** Whether the value reads the response (only allowed in a response mapping). */
  public boolean readsResponse() {
    return parts.stream().anyMatch(p -> p.source() == Source.RESPONSE_HEADER);
  }

  /** A constant: no references. */
  public boolean isConstant() {
    return parts.stream().allMatch(p -> p.source() == null);
  }

  /**
   * The value for one request: references the sources do not hold become empty text.
   *
   * @param responseHeaders the integration's response headers, for a response mapping; else null
   * @param asPath percent-encode what references give (slashes kept), except {@code $request.path}
   *     which is still encoded as sent: the value is a path
   * @return the value, or {@code null} when it is empty (the mapping is then skipped)
   */
  String resolve(
      MappingSources in, List<Map.Entry<String, String>> responseHeaders, boolean asPath) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part.source() == null) {
        out.append(part.text());
        continue;
      }
      String value =
          switch (part.source()) {
            case REQUEST_HEADER -> in.header(part.name());
            case REQUEST_QUERYSTRING -> in.query(part.name());
            case REQUEST_PATH_PARAMETER -> in.pathParameters().get(part.name());
            case REQUEST_PATH -> in.path();
            case CONTEXT -> in.context().get(part.name());
            case AUTHORIZER -> in.authorizer(part.name());
            case STAGE_VARIABLE -> in.stageVariables().get(part.name());
            case RESPONSE_HEADER ->
                responseHeaders == null
                    ? null
                    : MappingSources.joined(responseHeaders, part.name(), true);
          };
      if (value != null) {
        out.append(asPath && part.source() != Source.REQUEST_PATH ? encodePath(value) : value);
      }
    }
    return out.isEmpty() ? null : out.toString();
  }

  static String encodePath(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  @Override
  public String toString() {
    return written;
  }
}
