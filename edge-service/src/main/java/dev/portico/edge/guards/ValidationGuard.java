package dev.portico.edge.guards;

import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import dev.portico.edge.validation.RequestValidator;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Request validation of routes with {@code x-portico-validate}: missing required parameters (400
 * {@code Missing required request parameters: [a, b]}), a body of a media type the operation does
 * not declare (415), a body that breaks its schema (400 {@code Invalid request body} with every
 * violation). A body it had to read is kept on the exchange for the integration.
 */
public final class ValidationGuard implements Step {
  @Override
  public Future<Integer> apply(Exchange ex) {
    RequestValidator validator = ex.match().route().options().validator();
    if (validator == null) {
      return NEXT;
    }
    List<String> missing =
        validator.missingParameters(ex.request()::getParam, ex.request()::getHeader);
    if (!missing.isEmpty()) {
      return Future.failedFuture(
          new Rejection(
              400,
              "Missing required request parameters: [" + String.join(", ", missing) + "]",
              GatewayError.MISSING_PARAMETERS.type(),
              Map.of(),
              List.of()));
    }
    if (!validator.needsBody()) {
      return NEXT;
    }
    return BodyReader.read(ex.request(), ex.bodyLimit())
        .compose(
            body -> {
              ex.keepBody(body);
              RequestValidator.BodyCheck check =
                  validator.checkBody(ex.request().getHeader("content-type"), body.getBytes());
              if (check instanceof RequestValidator.UnsupportedMediaType) {
                return Future.failedFuture(Rejection.of(GatewayError.UNSUPPORTED_MEDIA_TYPE));
              }
              if (check instanceof RequestValidator.Invalid invalid) {
                GatewayError error = GatewayError.INVALID_REQUEST_BODY;
                return Future.failedFuture(
                    new Rejection(
                        error.status(),
                        error.message(),
                        error.type(),
                        Map.of(),
                        invalid.violations()));
              }
              return NEXT;
            });
  }
}
