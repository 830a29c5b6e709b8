package dev.portico.table.expression;

import dev.portico.table.value.InvalidValueException;

/**
 * Which parameter an expression came in (ConditionExpression, FilterExpression, ...): DynamoDB
 * names it at the start of every error about the expression. {@link #REST} is the REST API's
 * dialect of the same language.
 */
public enum Syntax {
  CONDITION("ConditionExpression"),
  FILTER("FilterExpression"),
  KEY_CONDITION("KeyConditionExpression"),
  UPDATE("UpdateExpression"),
  PROJECTION("ProjectionExpression"),
  /**
   * The REST API's conditions ({@code x-condition}, {@code filter}): constants are written inline
   * ({@code price > 100}, {@code name = 'Kim'}, {@code true}, {@code false}, {@code null}) because
   * a REST request has no ExpressionAttributeValues; function names are case-insensitive; errors
   * keep the REST API's wording (position and what was expected) and carry no prefix, because the
   * REST API names the parameter itself.
   */
  REST("");

  private final String parameter;

  Syntax(String parameter) {
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }

  /** Whether constants are written inline, as in the REST dialect. */
  boolean inline() {
    return this == REST;
  }

  InvalidValueException error(String problem) {
    return new InvalidValueException(
        parameter.isEmpty() ? problem : "Invalid " + parameter + ": " + problem);
  }
}
