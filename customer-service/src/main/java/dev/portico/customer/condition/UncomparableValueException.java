package dev.portico.customer.condition;

/** An item's attribute, read by a condition, holds a value no typed value can hold. */
public final class UncomparableValueException extends RuntimeException {
  public UncomparableValueException(String message) {
    super(message, null, false, false);
  }
}
