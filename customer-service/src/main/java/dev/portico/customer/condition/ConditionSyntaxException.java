package dev.portico.customer.condition;

/** A condition expression that does not parse; the message says where and what was expected. */
public final class ConditionSyntaxException extends RuntimeException {
  public ConditionSyntaxException(String message) {
    super(message, null, false, false);
  }
}
