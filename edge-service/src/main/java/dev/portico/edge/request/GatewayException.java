package dev.portico.edge.request;

/**
 * A step's refusal of a request with one of the gateway's own errors: the client gets the error's
 * status and JSON message; the detail goes to the access log.
 */
public final class GatewayException extends RuntimeException {
  private final GatewayError error;

  public GatewayException(GatewayError error, String detail) {
    super(detail, null, false, false);
    this.error = error;
  }

  public GatewayError error() {
    return error;
  }
}
