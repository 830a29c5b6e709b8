package dev.portico.table.expression;

import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexer of the REST dialect ({@link Syntax#REST}), whose constants are written inline: names
 * ({@code [letter_][letter digit _ -]*}, so {@code first-name} is one name), numbers ({@code
 * -?digits[.digits][e[+-]digits]}), quoted strings ('...' or "...", backslash escapes the quote and
 * itself), and the symbols {@code ( ) , . [ ] = <> < <= > >=}. It has no placeholders: a REST
 * request has no ExpressionAttributeNames or Values to define them, so {@code #} and {@code :} are
 * unexpected characters. Its messages are the REST API's, which name a 1-based position.
 */
final class InlineLexer {
  private InlineLexer() {}

  static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < text.length() && isNamePart(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Token.Kind.NAME, text.substring(start, i), start));
      } else if (Character.isDigit(c)
          || (c == '-' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
        int start = i;
        i = number(text, i);
        tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, i), start));
      } else if (c == '\'' || c == '"') {
        i = string(text, i, tokens);
      } else if ((c == '<' || c == '>')
          && i + 1 < text.length()
          && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
        tokens.add(new Token(Token.Kind.SYMBOL, text.substring(i, i + 2), i));
        i += 2;
      } else if ("(),.[]=<>".indexOf(c) >= 0) {
        tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i));
        i++;
      } else {
        throw new InvalidValueException("unexpected character '" + c + "' at position " + (i + 1));
      }
    }
    tokens.add(new Token(Token.Kind.END, "", text.length()));
    return tokens;
  }

  /** Reads the string quoted at {@code start}, adds its token, returns the index after it. */
  private static int string(String text, int start, List<Token> tokens) {
    char quote = text.charAt(start);
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= text.length()) {
        throw new InvalidValueException("unterminated string starting at position " + (start + 1));
      }
      char d = text.charAt(i);
      if (d == '\\' && i + 1 < text.length()) {
        value.append(text.charAt(i + 1));
        i += 2;
      } else if (d == quote) {
        tokens.add(new Token(Token.Kind.STRING, value.toString(), start));
        return i + 1;
      } else {
        value.append(d);
        i++;
      }
    }
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static int number(String text, int i) {
    if (text.charAt(i) == '-') {
      i++;
    }
    i = digits(text, i);
    if (i + 1 < text.length() && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
      i = digits(text, i + 1);
    }
    if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
        j++;
      }
      if (j < text.length() && Character.isDigit(text.charAt(j))) {
        i = digits(text, j);
      }
    }
    return i;
  }

  private static int digits(String text, int i) {
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
