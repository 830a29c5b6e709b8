package dev.portico.edge.steps;

import dev.portico.edge.integration.FunctionRequests;
import dev.portico.edge.mapping.MappingSources;
import dev.portico.edge.mapping.ParameterMapping;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.serving.Release;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A route's parameter mapping applied to a request: what its values may read ({@link
 * MappingSources}) gathered from the exchange, only for routes that have a mapping.
 */
final class Mappings {
  private Mappings() {}

  /** The route's mapping applied to the request, or {@code null} when the route has none. */
  static ParameterMapping.Applied apply(Exchange ex) {
    ParameterMapping mapping = ex.match().route().mapping();
    return mapping.isEmpty() ? null : mapping.apply(sources(ex));
  }

  static MappingSources sources(Exchange ex) {
    HttpServerRequest request = ex.request();
    Release release = ex.release();
    return new MappingSources(
        ex.resourcePath(),
        ex.match().pathParameters(),
        entries(request.headers()),
        entries(request.params()),
        release.variables(),
        context(ex),
        authorizerContext(ex));
  }

  /** The {@code $context} variables (the authorizer's apart). */
  private static Map<String, String> context(Exchange ex) {
    HttpServerRequest request = ex.request();
    Release release = ex.release();
    Instant start = Instant.ofEpochMilli(ex.startEpochMillis());
    Map<String, String> context = new HashMap<>();
    context.put("apiId", release.apiId());
    context.put("httpMethod", request.method().name());
    context.put("path", request.path());
    context.put(
        "protocol",
        request.version() == null
            ? "HTTP/1.1"
            : request.version().alpnName().toUpperCase(Locale.ROOT));
    context.put("requestId", ex.requestId());
    context.put("requestTime", FunctionRequests.requestTime(start));
    context.put("requestTimeEpoch", Long.toString(start.toEpochMilli()));
    context.put("routeKey", ex.match().route().routeKey());
    context.put("stage", release.stage());
    if (request.authority() != null) {
      context.put("domainName", request.authority().host());
    }
    if (request.remoteAddress() != null) {
      context.put("identity.sourceIp", request.remoteAddress().hostAddress());
    }
    if (request.getHeader("user-agent") != null) {
      context.put("identity.userAgent", request.getHeader("user-agent"));
    }
    if (ex.apiKey() != null) {
      context.put("identity.apiKeyId", ex.apiKey().id());
    }
    return context;
  }

  /**
   * {@code $context.authorizer.*}: a JWT authorizer's claims under {@code claims}; an authorizer
   * function's context keys and {@code principalId}, as API Gateway has them.
   */
  private static Map<String, Object> authorizerContext(Exchange ex) {
    if (ex.claims() == null && ex.authorizer() == null) {
      return Map.of();
    }
    Map<String, Object> out = new HashMap<>();
    if (ex.authorizer() != null) {
      out.putAll(ex.authorizer().context());
      if (ex.authorizer().principalId() != null) {
        out.put("principalId", ex.authorizer().principalId());
      }
    }
    if (ex.claims() != null) {
      out.put("claims", ex.claims());
    }
    return out;
  }

  private static List<Map.Entry<String, String>> entries(Iterable<Map.Entry<String, String>> all) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    all.forEach(e -> out.add(Map.entry(e.getKey(), e.getValue())));
    return out;
  }
}
