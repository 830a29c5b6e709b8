package dev.portico.edge.integration;

import dev.portico.edge.request.GatewayError;

/** An integration that did not produce a usable response; carries the gateway error to send. */
public final class IntegrationException extends RuntimeException {
  private final GatewayError error;

  public IntegrationException(GatewayError error, String detail) {
    super(detail, null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
