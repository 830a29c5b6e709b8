package dev.portico.metricmath;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a metric-math expression into tokens: numbers ({@code 12}, {@code 0.5}, {@code .5}, {@code
 * 1e3}), names (ids, functions, keywords), texts in single or double quotes, and symbols. Positions
 * are 1-based, as {@link MathException} reports them.
 */
final class Lexer {
  private Lexer() {}

  enum Kind {
    NUMBER,
    NAME,
    TEXT,
    SYMBOL,
    END
  }

  record Token(Kind kind, String text, int position) {
    String describe() {
      return switch (kind) {
        case END -> "end of expression";
        case TEXT -> "text '" + text + "'";
        default -> "'" + text + "'";
      };
    }

    boolean is(String symbol) {
      return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(symbol);
    }
  }

  /** The tokens of {@code s}, ending with an {@link Kind#END} token one past its last character. */
  static List<Token> tokenize(String s) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int position = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        if (j < s.length() && s.charAt(j) == '.') {
          j++;
          while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
          }
        }
        if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
          int k = j + 1;
          if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
            k++;
          }
          if (k < s.length() && Character.isDigit(s.charAt(k))) {
            while (k < s.length() && Character.isDigit(s.charAt(k))) {
              k++;
            }
            j = k;
          }
        }
        tokens.add(new Token(Kind.NUMBER, s.substring(i, j), position));
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.NAME, s.substring(i, j), position));
        i = j;
      } else if (c == '\'' || c == '"') {
        int close = s.indexOf(c, i + 1);
        if (close < 0) {
          throw new MathException("the text starting here is not closed with " + c, position);
        }
        tokens.add(new Token(Kind.TEXT, s.substring(i + 1, close), position));
        i = close + 1;
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (Set.of("<=", ">=", "==", "!=", "&&", "||").contains(two)) {
          tokens.add(new Token(Kind.SYMBOL, two, position));
          i += 2;
        } else if ("+-*/^()[],<>!".indexOf(c) >= 0) {
          tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), position));
          i++;
        } else {
          throw new MathException("unexpected character '" + c + "'", position);
        }
      }
    }
    tokens.add(new Token(Kind.END, "", s.length() + 1));
    return tokens;
  }
}
