package dev.portico.metricmath;

import dev.portico.metricmath.Lexer.Kind;
import dev.portico.metricmath.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses CloudWatch metric-math expressions. Grammar, lowest precedence first:
 *
 * <pre>
 * expr    := or
 * or      := and (("OR" | "||") and)*
 * and     := compare (("AND" | "&amp;&amp;") compare)*
 * compare := sum (("&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "==" | "!=") sum)?
 * sum     := product (("+" | "-") product)*
 * product := unary (("*" | "/") unary)*
 * unary   := ("-" | "+" | "NOT" | "!") unary | power
 * power   := primary ("^" unary)?                      (right-associative: 2^3^2 = 2^9)
 * primary := number | id | FUNCTION "(" [expr ("," expr)*] ")" | "[" expr ("," expr)* "]"
 *          | "(" expr ")" | 'text' | "text" | REPEAT | LINEAR
 * </pre>
 *
 * Ids start with a lowercase letter ({@code [a-z][a-zA-Z0-9_]*}); function names are matched
 * case-insensitively; {@code AND}, {@code OR}, {@code NOT}, {@code REPEAT}, {@code LINEAR} are
 * upper case. Numbers: {@code 12}, {@code 0.5}, {@code .5}, {@code 1e3}.
 */
public final class Parser {
  /** The functions this evaluator implements. */
  public static final Set<String> FUNCTIONS =
      Set.of("ABS", "SUM", "AVG", "MIN", "MAX", "RATE", "FILL", "IF", "METRICS");

  /** Deepest nesting of parentheses, brackets and calls (keeps evaluation off deep recursion). */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private final List<Token> tokens;
  private int next;
  private int depth;

  private Parser(String text) {
    this.text = text;
    this.tokens = Lexer.tokenize(text);
  }

  /** Parses {@code text}; throws {@link MathException} with the position of the first error. */
  public static Expr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MathException("the expression is empty", 0);
    }
    Parser parser = new Parser(text);
    Expr expr = parser.expression();
    Token end = parser.peek();
    if (end.kind() != Kind.END) {
      throw new MathException(
          "unexpected " + end.describe() + " after a complete expression", end.position());
    }
    return expr;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private boolean accept(String symbol) {
    if (peek().is(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private Token expect(String symbol, String context) {
    Token token = peek();
    if (!token.is(symbol)) {
      throw new MathException(
          "expected '" + symbol + "' " + context + ", found " + token.describe(), token.position());
    }
    return take();
  }

  // --- grammar

  private Expr expression() {
    return or();
  }

  private Expr or() {
    Expr left = and();
    while (peek().is("OR") || peek().is("||")) {
      Token op = take();
      left = new Expr.Binary("OR", left, and(), op.position());
    }
    return left;
  }

  private Expr and() {
    Expr left = compare();
    while (peek().is("AND") || peek().is("&&")) {
      Token op = take();
      left = new Expr.Binary("AND", left, compare(), op.position());
    }
    return left;
  }

  private Expr compare() {
    Expr left = sum();
    for (String op : List.of("<=", ">=", "==", "!=", "<", ">")) {
      if (peek().is(op)) {
        Token token = take();
        return new Expr.Binary(op, left, sum(), token.position());
      }
    }
    return left;
  }

  private Expr sum() {
    Expr left = product();
    while (peek().is("+") || peek().is("-")) {
      Token op = take();
      left = new Expr.Binary(op.text(), left, product(), op.position());
    }
    return left;
  }

  private Expr product() {
    Expr left = unary();
    while (peek().is("*") || peek().is("/")) {
      Token op = take();
      left = new Expr.Binary(op.text(), left, unary(), op.position());
    }
    return left;
  }

  private Expr unary() {
    Token token = peek();
    if (token.is("-") || token.is("NOT") || token.is("!") || token.is("+")) {
      take();
      enter(token);
      Expr operand = unary();
      depth--;
      return token.is("+")
          ? operand
          : new Expr.Unary(token.is("-") ? "-" : "NOT", operand, token.position());
    }
    return power();
  }

  private Expr power() {
    Expr base = primary();
    if (peek().is("^")) {
      Token op = take();
      enter(op);
      Expr exponent = unary();
      depth--;
      return new Expr.Binary("^", base, exponent, op.position());
    }
    return base;
  }

  private Expr primary() {
    Token token = take();
    switch (token.kind()) {
      case NUMBER -> {
        try {
          return new Expr.Number(Double.parseDouble(token.text()), token.position());
        } catch (NumberFormatException e) {
          throw new MathException("'" + token.text() + "' is not a number", token.position());
        }
      }
      case TEXT -> {
        return new Expr.Text(token.text(), token.position());
      }
      case NAME -> {
        return name(token);
      }
      case END -> throw new MathException("the expression ends too early", token.position());
      default -> {
        if (token.is("(")) {
          enter(token);
          Expr inner = expression();
          expect(")", "to close the '(' at position " + token.position());
          depth--;
          return inner;
        }
        if (token.is("[")) {
          enter(token);
          List<Expr> items = new ArrayList<>();
          if (peek().is("]")) {
            throw new MathException("an array needs at least one item", peek().position());
          }
          do {
            items.add(expression());
          } while (accept(","));
          expect("]", "to close the '[' at position " + token.position());
          depth--;
          return new Expr.Array(List.copyOf(items), token.position());
        }
        throw new MathException(
            "expected a number, an id, a function or '(', found " + token.describe(),
            token.position());
      }
    }
  }

  private Expr name(Token token) {
    String name = token.text();
    if (peek().is("(")) {
      String function = name.toUpperCase(Locale.ROOT);
      if (!FUNCTIONS.contains(function)) {
        throw new MathException(
            "unknown function '"
                + name
                + "'; supported: ABS, AVG, FILL, IF, MAX, METRICS, MIN, RATE, SUM",
            token.position());
      }
      Token open = take();
      enter(open);
      List<Expr> args = new ArrayList<>();
      if (!peek().is(")")) {
        do {
          args.add(expression());
        } while (accept(","));
      }
      expect(")", "to close the arguments of " + function + " at position " + open.position());
      depth--;
      return new Expr.Call(function, List.copyOf(args), token.position());
    }
    if (name.equals("REPEAT") || name.equals("LINEAR")) {
      return new Expr.Keyword(name, token.position());
    }
    if (Set.of("AND", "OR", "NOT").contains(name)) {
      throw new MathException("'" + name + "' needs an operand here", token.position());
    }
    if (!Character.isLowerCase(name.charAt(0)) || !name.chars().allMatch(Parser::idChar)) {
      throw new MathException(
          "'"
              + name
              + "' is not an id (ids start with a lowercase letter, then letters, digits"
              + " or _) nor a function (a function needs '(')",
          token.position());
    }
    return new Expr.Ref(name, token.position());
  }

  private static boolean idChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private void enter(Token token) {
    if (++depth > MAX_DEPTH) {
      throw new MathException(
          "the expression nests deeper than " + MAX_DEPTH + " levels", token.position());
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
