package dev.portico.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A request event of the function protocol, as the edge publishes it to a function's topic: a REST
 * or HTTP API request in payload format 2.0 ({@link FunctionRequest}) or 1.0 ({@link
 * FunctionRequestV1}), a WebSocket route's event ({@link WebSocketEvent}), or an authorizer
 * function's ({@link AuthorizerRequest}).
 */
public sealed interface FunctionEvent
    permits FunctionRequest, FunctionRequestV1, WebSocketEvent, AuthorizerRequest {

  /**
   * Reads the event back by its shape: {@code type: REQUEST} is an authorizer's, else a {@code
   * version} names the payload format.
   */
  TopicCodec<FunctionEvent> CODEC =
      new TopicCodec<>() {
        @Override
        public byte[] encode(FunctionEvent value) {
          return Json.toBytes(value);
        }

        @Override
        public FunctionEvent decode(String key, byte[] bytes) {
          try {
            JsonNode tree = Json.MAPPER.readTree(bytes);
            String version = tree.path("version").asText("");
            Class<? extends FunctionEvent> type =
                AuthorizerRequest.TYPE.equals(tree.path("type").asText())
                    ? AuthorizerRequest.class
                    : switch (version) {
                      case FunctionRequest.VERSION -> FunctionRequest.class;
                      case FunctionRequestV1.VERSION -> FunctionRequestV1.class;
                      default -> WebSocketEvent.class;
                    };
            return Json.MAPPER.treeToValue(tree, type);
          } catch (IOException e) {
            throw new IllegalArgumentException("Not a function request event: " + e.getMessage());
          }
        }
      };
}
