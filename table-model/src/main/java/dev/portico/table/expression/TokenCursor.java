package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A position in an expression's tokens, with what every expression of DynamoDB shares: document
 * paths, placeholders and the syntax error that names the token, the text near it and what was
 * expected. Used by the update, projection and key condition parsers.
 */
final class TokenCursor {
  private final String text;
  private final List<Token> tokens;
  private final ExpressionAttributes attributes;
  private final Syntax syntax;
  private final Set<String> keywords;
  private int next;

  private TokenCursor(
      String text, ExpressionAttributes attributes, Syntax syntax, Set<String> keywords) {
    this.text = text;
    this.tokens = Lexer.tokens(text, syntax);
    this.attributes = attributes;
    this.syntax = syntax;
    this.keywords = keywords;
  }

  /**
   * The tokens of {@code text}, after DynamoDB's checks on every expression: not empty, at most 4
   * KB. {@code keywords} (upper case) cannot be bare attribute names.
   */
  static TokenCursor of(
      String text, ExpressionAttributes attributes, Syntax syntax, Set<String> keywords) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > ConditionParser.MAX_BYTES) {
      throw syntax.error(
          "Expression size has exceeded the maximum allowed size; expression size: " + bytes);
    }
    if (text.isBlank()) {
      throw syntax.error("The expression can not be empty;");
    }
    return new TokenCursor(text, attributes, syntax, keywords);
  }

  Syntax syntax() {
    return syntax;
  }

  Token peek() {
    return tokens.get(next);
  }

  Token lookahead(int distance) {
    return tokens.get(Math.min(next + distance, tokens.size() - 1));
  }

  void skip(int count) {
    next += count;
  }

  boolean atEnd() {
    return peek().kind() == Token.Kind.END;
  }

  boolean keyword(String word) {
    if (peek().isKeyword(word)) {
      next++;
      return true;
    }
    return false;
  }

  boolean symbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  void expect(String symbol) {
    if (!symbol(symbol)) {
      throw syntaxError(peek(), "'" + symbol + "'");
    }
  }

  /** The value of the {@code :value} placeholder at the cursor. */
  Operand.Value value() {
    Token token = peek();
    if (token.kind() != Token.Kind.VALUE_PLACEHOLDER) {
      throw syntaxError(token, "a :value");
    }
    next++;
    return new Operand.Value(token.text(), attributes.value(token.text(), syntax));
  }

  /** True when the token at the cursor starts a document path. */
  boolean pathAhead() {
    Token token = peek();
    return token.kind() == Token.Kind.NAME_PLACEHOLDER
        || token.kind() == Token.Kind.NAME && !keywords.contains(token.text().toUpperCase());
  }

  /** {@code (name | #name) ("." (name | #name) | "[" digits "]")*}. */
  Path path() {
    List<Object> steps = new ArrayList<>();
    steps.add(name());
    while (true) {
      if (symbol(".")) {
        steps.add(name());
      } else if (symbol("[")) {
        Token index = peek();
        if (index.kind() != Token.Kind.INDEX || index.text().length() > 9) {
          throw syntaxError(index, "a list index");
        }
        next++;
        steps.add(Integer.valueOf(index.text()));
        expect("]");
      } else {
        return new Path(steps);
      }
    }
  }

  private String name() {
    Token token = peek();
    if (token.kind() == Token.Kind.NAME_PLACEHOLDER) {
      next++;
      return attributes.name(token.text(), syntax);
    }
    if (pathAhead()) {
      next++;
      return token.text();
    }
    throw syntaxError(token, "an attribute name or #name");
  }

  InvalidValueException error(String problem) {
    return syntax.error(problem);
  }

  InvalidValueException syntaxError(Token token, String expected) {
    return syntax.error(
        "Syntax error; token: \""
            + token.text()
            + "\", near: "
            + Lexer.near(text, token.position())
            + "; expected "
            + expected);
  }

  /** DynamoDB's type names in the update language's messages about ADD and DELETE operands. */
  static String longTypeName(AttributeValue value) {
    return switch (value.type()) {
      case "S" -> "STRING";
      case "N" -> "NUMBER";
      case "B" -> "BINARY";
      case "BOOL" -> "BOOLEAN";
      case "SS" -> "STRING SET";
      case "NS" -> "NUMBER SET";
      case "BS" -> "BINARY SET";
      case "M" -> "MAP";
      case "L" -> "LIST";
      default -> value.type();
    };
  }
}
