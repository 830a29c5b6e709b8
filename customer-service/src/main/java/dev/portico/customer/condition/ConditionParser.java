package dev.portico.customer.condition;

import dev.portico.table.expression.ExpressionAttributes;
import dev.portico.table.expression.Syntax;
import dev.portico.table.value.InvalidValueException;

/**
 * Parses the REST API's condition language ({@code x-condition}, the scan's {@code filter}): the
 * REST dialect of table-model's condition parser ({@link Syntax#REST}), so the REST API and
 * DynamoDB's expressions share one grammar and one evaluator; only the way constants are written
 * (inline here, as {@code :placeholders} there) and the error messages differ.
 */
public final class ConditionParser {
  /** Longest accepted expression, like DynamoDB's 4 KB. */
  public static final int MAX_LENGTH =
      dev.portico.table.expression.ConditionParser.MAX_INLINE_LENGTH;

  private ConditionParser() {}

  public static Condition parse(String expression) {
    try {
      return new Condition(
          dev.portico.table.expression.ConditionParser.parse(
              expression, ExpressionAttributes.none(), Syntax.REST));
    } catch (InvalidValueException e) {
      throw new ConditionSyntaxException(e.getMessage());
    }
  }
}
