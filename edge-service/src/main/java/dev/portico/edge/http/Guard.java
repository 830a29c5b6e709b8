package dev.portico.edge.http;

import io.vertx.core.Future;

/**
 * One check a request passes before its integration runs (IP policy, API key, authorizer,
 * validation, throttle). Fails with a {@link Rejection} to refuse the request; may set what it
 * learned on the exchange (the API key, the token's claims).
 */
public interface Guard {
  Future<Void> check(Exchange exchange);
}
