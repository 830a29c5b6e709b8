package dev.portico.table.expression;

import dev.portico.table.value.InvalidValueException;

/**
 * Which parameter an expression came in (ConditionExpression, FilterExpression, ...): DynamoDB
 * names it at the start of every error about the expression.
 */
public enum Syntax {
  CONDITION("ConditionExpression"),
  FILTER("FilterExpression"),
  KEY_CONDITION("KeyConditionExpression"),
  UPDATE("UpdateExpression"),
  PROJECTION("ProjectionExpression");

  private final String parameter;

  Syntax(String parameter) {
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }

  InvalidValueException error(String problem) {
    return new InvalidValueException("Invalid " + parameter + ": " + problem);
  }
}
