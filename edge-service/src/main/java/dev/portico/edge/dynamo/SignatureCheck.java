package dev.portico.edge.dynamo;

import dev.portico.table.api.DynamoException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The DynamoDB server's {@link DynamoServer.Authenticator}: local mode, or Signature Version 4. */
public final class SignatureCheck {
  private SignatureCheck() {}

  public static DynamoServer.Authenticator of(AccessKeys keys, Clock clock) {
    if (keys.localMode()) {
      return (request, body) -> Optional.empty();
    }
    SignatureV4 signatures = new SignatureV4(keys.secretsById(), clock);
    return (request, body) ->
        signatures
            .verify(signed(request, body))
            .map(rejection -> new DynamoException(rejection.type(), rejection.message()));
  }

  private static SignedRequest signed(HttpServerRequest request, Buffer body) {
    String uri = request.uri();
    int question = uri.indexOf('?');
    List<Map.Entry<String, String>> headers = List.copyOf(request.headers().entries());
    return new SignedRequest(
        request.method().name(),
        question < 0 ? uri : uri.substring(0, question),
        question < 0 ? null : uri.substring(question + 1),
        headers,
        body.getBytes());
  }
}
