package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.table.api.DynamoException;
import java.util.Map;

/** Answers of the DynamoDB API as response events: the edge passes them on as they are. */
final class DynamoReplies {
  private static final Map<String, String> HEADERS =
      Map.of("content-type", DynamoException.CONTENT_TYPE);

  private DynamoReplies() {}

  static FunctionResponse ok(ObjectNode body) {
    return new FunctionResponse(200, HEADERS, body.toString(), false);
  }

  static FunctionResponse error(DynamoException e) {
    return new FunctionResponse(e.status(), HEADERS, e.body().toString(), false);
  }
}
