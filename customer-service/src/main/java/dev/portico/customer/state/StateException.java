package dev.portico.customer.state;

/** The local state store failed (disk full, corruption): the service cannot go on safely. */
public final class StateException extends RuntimeException {
  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
