package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The request event of an authorizer function, modelled on API Gateway's REQUEST authorizer event
 * (payload format 2.0): the request's headers, query parameters, path parameters, stage variables
 * and context, without its body, plus the values of the authorizer's identity sources. The edge
 * sends it before a protected route's integration runs; the function answers with a {@link
 * FunctionResponse} whose {@code body} is the authorizer's verdict (docs/function-protocol.md,
 * "Authorizer functions").
 *
 * @param type always {@code REQUEST}
 * @param routeArn the route as an ARN, {@code
 *     arn:portico:execute-api:local:portico:{api}/{stage}/{METHOD}/{path}}: what an IAM policy's
 *     {@code Resource} is matched against
 * @param methodArn the same ARN, under the name a REST API's authorizer reads
 * @param identitySource the identity sources' values, in the authorizer's order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizerRequest(
    String version,
    String type,
    String routeArn,
    String methodArn,
    List<String> identitySource,
    String routeKey,
    String rawPath,
    String rawQueryString,
    Map<String, String> headers,
    Map<String, String> queryStringParameters,
    Map<String, String> pathParameters,
    Map<String, String> stageVariables,
    FunctionRequest.RequestContext requestContext)
    implements FunctionEvent {

  public static final String TYPE = "REQUEST";

  /**
   * The authorizer event of {@code request} (its body is left out, as API Gateway does), for the
   * route {@code routeKey} ({@code $connect} for a WebSocket upgrade).
   */
  public static AuthorizerRequest of(
      FunctionRequest request, String routeKey, String routeArn, List<String> identitySource) {
    return new AuthorizerRequest(
        FunctionRequest.VERSION,
        TYPE,
        routeArn,
        routeArn,
        List.copyOf(identitySource),
        routeKey,
        request.rawPath(),
        request.rawQueryString(),
        request.headers(),
        request.queryStringParameters(),
        request.pathParameters(),
        request.stageVariables(),
        request.requestContext());
  }
}
