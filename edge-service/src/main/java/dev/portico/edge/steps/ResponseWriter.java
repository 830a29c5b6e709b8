package dev.portico.edge.steps;

import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Base64;

/**
 * Writes the integration's answer, the chain's last step: its status, headers and body ({@code
 * isBase64Encoded} bodies decoded; one that is not base64 is 502, nothing written). A client that
 * left gets nothing.
 */
public final class ResponseWriter implements Step {
  @Override
  public boolean serves() {
    return true;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    return Future.succeededFuture(write(ex.request().response(), ex.response()));
  }

  /** Writes {@code result}; returns its status. */
  static int write(HttpServerResponse response, FunctionResponse result) {
    if (response.closed()) {
      return result.statusCode();
    }
    Buffer body = null;
    if (result.body() != null && result.isBase64Encoded()) {
      try {
        body = Buffer.buffer(Base64.getDecoder().decode(result.body()));
      } catch (IllegalArgumentException notBase64) {
        throw new IntegrationException(
            GatewayError.MALFORMED_INTEGRATION_RESPONSE, "body is not base64");
      }
    } else if (result.body() != null) {
      body = Buffer.buffer(result.body());
    }
    response.setStatusCode(result.statusCode());
    if (result.headers() != null) {
      result.headers().forEach(response::putHeader);
    }
    if (body == null) {
      response.end();
    } else {
      response.end(body);
    }
    return result.statusCode();
  }
}
