package dev.portico.table.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens: names ({@code [A-Za-z_][A-Za-z0-9_]*}), name placeholders
 * ({@code #[A-Za-z0-9_]+}), value placeholders ({@code :[A-Za-z0-9_]+}), list indexes (digits), and
 * the symbols {@code ( ) , . [ ] = <> < <= > >= + -} (the last two for UpdateExpression). DynamoDB
 * expressions have no literals: every constant comes from ExpressionAttributeValues.
 */
final class Lexer {
  private Lexer() {}

  static List<Token> tokens(String text, Syntax syntax) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (isLetter(c) || c == '_') {
        i = word(text, i + 1);
        tokens.add(new Token(Token.Kind.NAME, text.substring(start, i), start));
      } else if (c == '#' || c == ':') {
        i = word(text, i + 1);
        if (i == start + 1) {
          throw syntax.error("Syntax error; token: \"" + c + "\", near: " + near(text, start));
        }
        Token.Kind kind = c == '#' ? Token.Kind.NAME_PLACEHOLDER : Token.Kind.VALUE_PLACEHOLDER;
        tokens.add(new Token(kind, text.substring(start, i), start));
      } else if (isDigit(c)) {
        while (i < text.length() && isDigit(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Token.Kind.INDEX, text.substring(start, i), start));
      } else if ((c == '<' || c == '>')
          && i + 1 < text.length()
          && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
        tokens.add(new Token(Token.Kind.SYMBOL, text.substring(i, i + 2), i));
        i += 2;
      } else if ("(),.[]=<>+-".indexOf(c) >= 0) {
        tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i));
        i++;
      } else {
        throw syntax.error("Invalid character '" + c + "' at position " + (i + 1));
      }
    }
    tokens.add(new Token(Token.Kind.END, "<EOF>", text.length()));
    return tokens;
  }

  /** The text around {@code position}, quoted, as DynamoDB's syntax errors show it. */
  static String near(String text, int position) {
    int from = Math.max(0, position - 10);
    int to = Math.min(text.length(), position + 10);
    return "\"" + text.substring(from, to) + "\"";
  }

  private static int word(String text, int i) {
    while (i < text.length()
        && (isLetter(text.charAt(i)) || isDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
