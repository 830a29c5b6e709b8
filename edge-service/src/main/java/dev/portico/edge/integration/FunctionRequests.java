package dev.portico.edge.integration;

import dev.portico.contracts.FunctionRequest;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the request event of the function protocol from an HTTP request, as the Lambda proxy
 * payload 2.0 does: header names lower-cased, repeated headers and query parameters joined with
 * commas, a body that is not valid UTF-8 sent as base64.
 */
public final class FunctionRequests {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private FunctionRequests() {}

  public static FunctionRequest from(
      HttpServerRequest request,
      Buffer body,
      String api,
      String stage,
      RouteMatch match,
      Map<String, String> stageVariables,
      String requestId,
      Instant now,
      FunctionRequest.Authorizer authorizer) {
    String routeKey = match.route().routeKey();
    String path = request.path();
    String query = request.query();
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
        joined(request.headers(), true),
        query == null ? null : joined(request.params(), false),
        match.pathParameters().isEmpty() ? null : match.pathParameters(),
        stageVariables.isEmpty() ? null : stageVariables,
        bodyText,
        base64,
        context);
  }

  private static Map<String, String> joined(MultiMap values, boolean lowerCase) {
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
