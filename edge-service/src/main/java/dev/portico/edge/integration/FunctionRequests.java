package dev.portico.edge.integration;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionRequestV1;
import dev.portico.edge.mapping.ParameterMapping.MappedRequest;
import dev.portico.edge.request.AuthorizerResult;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the request event of the function protocol from an HTTP request, as the Lambda proxy
 * payload 2.0 does ({@link #from}: header names lower-cased, repeated headers and query parameters
 * joined with commas) or 1.0 ({@link #v1}); a body that is not valid UTF-8 is sent as base64. With
 * a route's parameter mapping, the headers, query parameters and path are the mapped ones.
 */
public final class FunctionRequests {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private FunctionRequests() {}

  public static FunctionRequest from(
      HttpServerRequest request,
      MappedRequest mapped,
      Buffer body,
      String api,
      String stage,
      RouteMatch match,
      Map<String, String> stageVariables,
      String requestId,
      Instant now,
      FunctionRequest.Authorizer authorizer) {
    String routeKey = match.route().routeKey();
    String path = mapped == null || mapped.path() == null ? request.path() : mapped.path();
    Iterable<Map.Entry<String, String>> params = params(request, mapped);
    String query = rawQuery(request, mapped);
    String bodyText = null;
    boolean base64 = false;
    if (body != null && body.length() > 0) {
      bodyText = utf8(body.getBytes());
      if (bodyText == null) {
        bodyText = Base64.getEncoder().encodeToString(body.getBytes());
        base64 = true;
      }
    }
    var http =
        new FunctionRequest.Http(
            request.method().name(),
            path,
            request.version() == null
                ? "HTTP/1.1"
                : request.version().alpnName().toUpperCase(Locale.ROOT),
            request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
            request.getHeader("user-agent"));
    var context =
        new FunctionRequest.RequestContext(
            api,
            stage,
            requestId,
            routeKey,
            http,
            authorizer,
            TIME.format(now),
            now.toEpochMilli());
    return new FunctionRequest(
        FunctionRequest.VERSION,
        routeKey,
        path,
        query == null ? "" : query,
        joined(headers(request, mapped), true),
        query == null ? null : joined(params, false),
        match.pathParameters().isEmpty() ? null : match.pathParameters(),
        stageVariables.isEmpty() ? null : stageVariables,
        bodyText,
        base64,
        context);
  }

  /**
   * The same request as the payload format 1.0 event ({@link FunctionRequestV1}): each header and
   * query parameter's last value, and all of them in the {@code multiValue} maps; header names as
   * sent; {@code path} without the stage, {@code requestContext.path} with it.
   */
  public static FunctionRequestV1 v1(
      HttpServerRequest request,
      MappedRequest mapped,
      Buffer body,
      String api,
      String stage,
      RouteMatch match,
      Map<String, String> stageVariables,
      String requestId,
      Instant now,
      Map<String, Object> claims,
      String apiKeyId,
      AuthorizerResult authorizer) {
    String fullPath = request.path();
    String prefix = "/" + stage;
    String path = fullPath.startsWith(prefix) ? fullPath.substring(prefix.length()) : fullPath;
    if (path.isEmpty()) {
      path = "/";
    }
    if (mapped != null && mapped.path() != null) {
      path = mapped.path();
    }
    String resource = match.route().path().template();
    String method = request.method().name();
    String[] text = bodyText(body);
    Map<String, List<String>> headers = multi(headers(request, mapped));
    String rawQuery = rawQuery(request, mapped);
    Map<String, List<String>> query = rawQuery == null ? null : multi(params(request, mapped));
    var context =
        new FunctionRequestV1.RequestContext(
            api,
            stage,
            requestId,
            requestId,
            resource,
            method,
            fullPath,
            request.version() == null
                ? "HTTP/1.1"
                : request.version().alpnName().toUpperCase(Locale.ROOT),
            request.authority() == null ? null : request.authority().host(),
            new FunctionRequestV1.Identity(
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.getHeader("user-agent"),
                apiKeyId),
            claims == null && authorizer == null
                ? null
                : new FunctionRequestV1.Authorizer(
                    claims,
                    authorizer == null ? null : authorizer.principalId(),
                    authorizer == null ? null : authorizer.context()),
            TIME.format(now),
            now.toEpochMilli());
    return new FunctionRequestV1(
        FunctionRequestV1.VERSION,
        resource,
        path,
        method,
        last(headers),
        headers,
        query == null ? null : last(query),
        query,
        match.pathParameters().isEmpty() ? null : match.pathParameters(),
        stageVariables.isEmpty() ? null : stageVariables,
        context,
        text[0],
        text[1] != null);
  }

  /**
   * {@code requestContext.authorizer} of the 2.0 event: the JWT's claims, the API key id, an
   * authorizer function's principal and context; {@code null} when the route has no authorizer.
   */
  public static FunctionRequest.Authorizer authorizer(
      Map<String, Object> claims, String apiKeyId, AuthorizerResult function) {
    if (claims == null && apiKeyId == null && function == null) {
      return null;
    }
    return new FunctionRequest.Authorizer(
        claims,
        apiKeyId,
        function == null ? null : function.principalId(),
        function == null ? null : function.context());
  }

  /** The body as text, or as base64 when it is not UTF-8 ({@code [1]} then non-null). */
  private static String[] bodyText(Buffer body) {
    if (body == null || body.length() == 0) {
      return new String[] {null, null};
    }
    String text = utf8(body.getBytes());
    return text != null
        ? new String[] {text, null}
        : new String[] {Base64.getEncoder().encodeToString(body.getBytes()), "base64"};
  }

  /** The request time as {@code requestContext.time} (and {@code $context.requestTime}) has it. */
  public static String requestTime(Instant now) {
    return TIME.format(now);
  }

  private static Iterable<Map.Entry<String, String>> headers(
      HttpServerRequest request, MappedRequest mapped) {
    return mapped == null || mapped.headers() == null ? request.headers() : mapped.headers();
  }

  private static Iterable<Map.Entry<String, String>> params(
      HttpServerRequest request, MappedRequest mapped) {
    return mapped == null || mapped.query() == null ? request.params() : mapped.query();
  }

  /** The query string as sent, or the mapped parameters encoded; {@code null} when none. */
  private static String rawQuery(HttpServerRequest request, MappedRequest mapped) {
    return mapped == null || mapped.query() == null ? request.query() : mapped.rawQuery();
  }

  private static Map<String, List<String>> multi(Iterable<Map.Entry<String, String>> values) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values) {
      out.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
    }
    return out;
  }

  private static Map<String, String> last(Map<String, List<String>> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((name, all) -> out.put(name, all.get(all.size() - 1)));
    return out;
  }

  private static Map<String, String> joined(
      Iterable<Map.Entry<String, String>> values, boolean lowerCase) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values) {
      String name = lowerCase ? entry.getKey().toLowerCase(Locale.ROOT) : entry.getKey();
      out.merge(name, entry.getValue(), (a, b) -> a + "," + b);
    }
    return out;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
