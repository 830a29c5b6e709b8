package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The request event of a WebSocket route's {@code kafka} integration, modelled on API Gateway's
 * WebSocket Lambda event. Correlation and the reply address travel in headers as in the function
 * protocol; a {@link FunctionResponse} reply is the route response ({@code body} goes to the
 * client) or, for {@code $connect}, the verdict (a status of 300 or more refuses the connection).
 *
 * @param headers and {@code queryStringParameters}: only on {@code CONNECT}
 * @param body the client's frame: text, or base64 when {@code isBase64Encoded}; absent on {@code
 *     CONNECT} and {@code DISCONNECT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebSocketEvent(
    Map<String, String> headers,
    Map<String, String> queryStringParameters,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded,
    RequestContext requestContext)
    implements FunctionEvent {

  /**
   * @param eventType {@code CONNECT}, {@code MESSAGE} or {@code DISCONNECT}
   * @param messageId unique per client frame ({@code MESSAGE} only)
   * @param disconnectStatusCode and {@code disconnectReason}: the close frame ({@code DISCONNECT}
   *     only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestContext(
      String apiId,
      String stage,
      String requestId,
      String routeKey,
      String eventType,
      String connectionId,
      String messageId,
      long connectedAt,
      long requestTimeEpoch,
      Identity identity,
      FunctionRequest.Authorizer authorizer,
      Integer disconnectStatusCode,
      String disconnectReason) {}

  /** Who is connected. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Identity(String sourceIp, String userAgent) {}
}
