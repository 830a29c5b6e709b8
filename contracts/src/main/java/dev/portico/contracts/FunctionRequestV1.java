package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The request event in the Lambda proxy payload format 1.0: what API Gateway sends a Lambda
 * function behind a REST API, and an HTTP API route with {@code payloadFormatVersion: "1.0"}. The
 * edge sends it to {@code kafka} routes with {@code payloadFormatVersion: "1.0"}, which is what an
 * {@code aws_proxy} operation imported from a REST API export gets, so the function written for
 * that API reads the fields it always read. Correlation and the reply address travel in Kafka
 * headers, as with {@link FunctionRequest}; the response event is the same for both formats.
 *
 * @param resource the route's path template ({@code /customer/{customer_id}})
 * @param path the request path without the stage
 * @param headers each header's last value, names as the client sent them
 * @param multiValueHeaders every value of each header
 * @param queryStringParameters each parameter's last value; {@code null} without a query
 * @param body the request body as text, or base64 when {@code isBase64Encoded}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionRequestV1(
    String version,
    String resource,
    String path,
    String httpMethod,
    Map<String, String> headers,
    Map<String, List<String>> multiValueHeaders,
    Map<String, String> queryStringParameters,
    Map<String, List<String>> multiValueQueryStringParameters,
    Map<String, String> pathParameters,
    Map<String, String> stageVariables,
    RequestContext requestContext,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded)
    implements FunctionEvent {

  public static final String VERSION = "1.0";

  /**
   * Where and how the request arrived.
   *
   * @param path the request path with the stage ({@code /prod/customer/1230AWS})
   * @param resourcePath the route's path template, as {@code resource}
   * @param requestTime CLF format, {@code 05/Dec/2026:10:15:30 +0000}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestContext(
      String apiId,
      String stage,
      String requestId,
      String extendedRequestId,
      String resourcePath,
      String httpMethod,
      String path,
      String protocol,
      String domainName,
      Identity identity,
      Authorizer authorizer,
      String requestTime,
      long requestTimeEpoch) {}

  /** The caller as the edge saw it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Identity(String sourceIp, String userAgent, String apiKeyId) {}

  /**
   * What the route's authorizer established, as a REST API's function reads it: the JWT's {@code
   * claims}, or an authorizer function's {@code principalId} with its context's keys beside it
   * ({@code requestContext.authorizer.tenant}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Authorizer(
      Map<String, Object> claims,
      String principalId,
      @JsonAnySetter @JsonIgnore Map<String, Object> context) {
    public Authorizer(Map<String, Object> claims) {
      this(claims, null, null);
    }

    /** The context's keys, written beside {@code principalId}. */
    @JsonAnyGetter
    Map<String, Object> contextEntries() {
      return context == null ? Map.of() : context;
    }
  }

  /**
   * The same request in the 2.0 shape (repeated values joined with commas, header names
   * lower-cased), for code written against {@link FunctionRequest}.
   */
  public FunctionRequest toV2() {
    RequestContext c = requestContext;
    Map<String, String> lowerHeaders = null;
    if (multiValueHeaders != null) {
      lowerHeaders = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, List<String>> h : multiValueHeaders.entrySet()) {
        lowerHeaders.merge(
            h.getKey().toLowerCase(java.util.Locale.ROOT),
            String.join(",", h.getValue()),
            (a, b) -> a + "," + b);
      }
    } else if (headers != null) {
      lowerHeaders = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, String> h : headers.entrySet()) {
        lowerHeaders.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
      }
    }
    Map<String, String> query = queryStringParameters;
    StringBuilder rawQuery = new StringBuilder();
    if (multiValueQueryStringParameters != null) {
      query = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, List<String>> q : multiValueQueryStringParameters.entrySet()) {
        query.put(q.getKey(), String.join(",", q.getValue()));
        for (String value : q.getValue()) {
          rawQuery.append(rawQuery.isEmpty() ? "" : "&").append(encode(q.getKey())).append('=');
          rawQuery.append(encode(value));
        }
      }
    }
    String routeKey = httpMethod + " " + resource;
    String rawPath = c != null && c.path() != null ? c.path() : path; // 2.0's has the stage
    return new FunctionRequest(
        FunctionRequest.VERSION,
        routeKey,
        rawPath,
        rawQuery.toString(),
        lowerHeaders,
        query,
        pathParameters,
        stageVariables,
        body,
        isBase64Encoded,
        c == null
            ? null
            : new FunctionRequest.RequestContext(
                c.apiId(),
                c.stage(),
                c.requestId(),
                routeKey,
                new FunctionRequest.Http(
                    httpMethod,
                    rawPath,
                    c.protocol(),
                    c.identity() == null ? null : c.identity().sourceIp(),
                    c.identity() == null ? null : c.identity().userAgent()),
                c.authorizer() == null && (c.identity() == null || c.identity().apiKeyId() == null)
                    ? null
                    : new FunctionRequest.Authorizer(
                        c.authorizer() == null ? null : c.authorizer().claims(),
                        c.identity() == null ? null : c.identity().apiKeyId(),
                        c.authorizer() == null ? null : c.authorizer().principalId(),
                        c.authorizer() == null || c.authorizer().context() == null
                            ? null
                            : c.authorizer().context()),
                c.requestTime(),
                c.requestTimeEpoch()));
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }
}
