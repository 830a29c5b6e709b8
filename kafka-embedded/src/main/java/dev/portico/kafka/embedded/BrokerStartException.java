package dev.portico.kafka.embedded;

/** The broker could not start; the message says why in terms an operator can act on. */
public final class BrokerStartException extends RuntimeException {
  public BrokerStartException(String message) {
    super(message);
  }

  public BrokerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
