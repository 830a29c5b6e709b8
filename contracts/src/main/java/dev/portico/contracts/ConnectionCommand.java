package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An operation on one WebSocket connection, the Kafka form of the {@code @connections} API: send
 * data to the client, ask for its info, or close it. Keyed by connection id; the edge replica that
 * holds the connection carries it out, the others ignore it. When the record has the function
 * protocol's reply headers, the result comes back as a {@link FunctionResponse} (status 200, 204,
 * 410, 413 or 429, as the HTTP API answers).
 *
 * @param action {@code POST} (send {@code data}), {@code GET} (info) or {@code DELETE} (close)
 * @param data the frame to send: text, or base64 when {@code isBase64Encoded} (a binary frame)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionCommand(
    String action,
    String connectionId,
    String data,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {
  public static final String POST = "POST";
  public static final String GET = "GET";
  public static final String DELETE = "DELETE";
}
