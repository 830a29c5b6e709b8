package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import java.util.Locale;

/**
 * The constants the REST dialect writes inline, as the typed values plain JSON maps them to: a
 * number is an N, a quoted string an S, {@code true}/{@code false} a BOOL and {@code null} a NULL
 * (any case). So {@code price = 990000.0} is {@code price = :v} with {@code :v} = {@code {"N":
 * "990000"}}, and both dialects evaluate the same tree.
 */
final class InlineLiteral {
  private InlineLiteral() {}

  /**
   * The literal {@code token} stands for, or {@code null} when it is none.
   *
   * @throws dev.portico.table.value.InvalidValueException a number DynamoDB cannot hold (more than
   *     38 significant digits, or out of range)
   */
  static Operand.Value of(Token token) {
    AttributeValue value =
        switch (token.kind()) {
          case NUMBER -> AttributeValue.n(token.text());
          case STRING -> AttributeValue.s(token.text());
          case NAME ->
              switch (token.text().toLowerCase(Locale.ROOT)) {
                case "true" -> AttributeValue.Bool.TRUE;
                case "false" -> AttributeValue.Bool.FALSE;
                case "null" -> AttributeValue.Null.NULL;
                default -> null;
              };
          default -> null;
        };
    return value == null ? null : new Operand.Value(token.text(), value);
  }
}
