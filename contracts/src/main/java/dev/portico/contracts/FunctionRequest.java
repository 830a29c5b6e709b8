package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The request event of the function protocol, modelled on the Lambda proxy payload 2.0. The edge
 * publishes one per invocation of a {@code kafka} integration; correlation and the reply address
 * travel in Kafka headers (see {@link ProtocolHeaders}), not in this body.
 *
 * @param body the request body as text, or base64 when {@code isBase64Encoded}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionRequest(
    String version,
    String routeKey,
    String rawPath,
    String rawQueryString,
    Map<String, String> headers,
    Map<String, String> queryStringParameters,
    Map<String, String> pathParameters,
    Map<String, String> stageVariables,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded,
    RequestContext requestContext)
    implements FunctionEvent {

  public static final String VERSION = "2.0";

  /** A command with only a route key and a body: what services send each other, no HTTP facts. */
  public static FunctionRequest command(String routeKey, String body) {
    return new FunctionRequest(
        VERSION, routeKey, null, null, null, null, null, null, body, false, null);
  }

  /** Where and how the request arrived at the edge. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestContext(
      String apiId,
      String stage,
      String requestId,
      String routeKey,
      Http http,
      Authorizer authorizer,
      String time,
      long timeEpoch) {}

  /** The HTTP facts of the request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http(
      String method, String path, String protocol, String sourceIp, String userAgent) {}

  /**
   * What the edge's authorizers established: JWT claims, the API key id, and an authorizer
   * function's principal id and context ({@code lambda}, API Gateway's name for it).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Authorizer(
      Map<String, Object> claims, String apiKeyId, String principalId, Map<String, Object> lambda) {
    public Authorizer(Map<String, Object> claims, String apiKeyId) {
      this(claims, apiKeyId, null, null);
    }
  }
}
