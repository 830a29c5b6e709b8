package dev.portico.table.value;

/**
 * A value, an item or an expression that DynamoDB would refuse: the message is the one DynamoDB
 * gives (or close to it), and the DynamoDB API answers it as a {@code ValidationException}.
 */
public class InvalidValueException extends RuntimeException {
  public InvalidValueException(String message) {
    super(message, null, false, false);
  }
}
