package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser of DynamoDB's condition language (ConditionExpression and
 * FilterExpression), with DynamoDB's precedence (comparisons, then NOT, AND, OR):
 *
 * <pre>
 * condition := or
 * or        := and ("OR" and)*
 * and       := not ("AND" not)*
 * not       := "NOT" not | "(" condition ")" | function | predicate
 * function  := "attribute_exists" "(" path ")" | "attribute_not_exists" "(" path ")"
 *            | "attribute_type" "(" path "," operand ")"
 *            | "begins_with" "(" operand "," operand ")" | "contains" "(" operand "," operand ")"
 * predicate := operand ( comparator operand | "BETWEEN" operand "AND" operand
 *                      | "IN" "(" operand ("," operand)* ")" )
 * operand   := "size" "(" operand ")" | path | :value
 * path      := (name | #name) ("." (name | #name) | "[" digits "]")*
 * </pre>
 *
 * Keywords are case-insensitive, function names are not (as in DynamoDB). Placeholders are replaced
 * while parsing, so the tree holds names and values. What DynamoDB refuses before reading any item
 * (an undefined placeholder, a constant of a type the operator cannot take, BETWEEN bounds out of
 * order) is refused here, with DynamoDB's message.
 *
 * <p>{@link Syntax#REST} is the REST API's dialect, parsed by the same rules into the same tree: it
 * writes constants inline ({@code operand} also takes a number, a 'string' or "string", true,
 * false, null; lexed by {@link InlineLexer}), has no placeholders, takes function names in any
 * case, limits expressions to 4096 characters, and keeps the REST API's syntax error messages
 * ("expected ... at position n but found ...").
 *
 * <p>Long because it is the whole grammar above, one method per rule: split, the grammar would no
 * longer read top-down.
 */
public final class ConditionParser {
  /** DynamoDB's limit on an expression's length, in bytes. */
  public static final int MAX_BYTES = 4096;

  /**
   * How deep parentheses and NOT may nest: enough for any real condition, and a bound on the
   * parser's and the evaluator's recursion (4 KB of parentheses would overflow a thread's stack).
   */
  public static final int MAX_NESTING = 256;

  /** The REST dialect's limit on an expression's length, in characters. */
  public static final int MAX_INLINE_LENGTH = 4096;

  /** DynamoDB's limit on the operands of IN. */
  public static final int MAX_IN_OPERANDS = 100;

  private static final Set<String> TYPES =
      Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

  private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");

  /** What DynamoDB's syntax errors say was expected where a name was not. */
  private static final String NAME = "an attribute name, #name or :value";

  private final String text;
  private final List<Token> tokens;
  private final ExpressionAttributes attributes;
  private final Syntax syntax;
  private int next;
  private int nesting;

  private ConditionParser(
      String text, List<Token> tokens, ExpressionAttributes attributes, Syntax syntax) {
    this.text = text;
    this.tokens = tokens;
    this.attributes = attributes;
    this.syntax = syntax;
  }

  /** Parses a ConditionExpression. */
  public static Condition parse(String expression, ExpressionAttributes attributes) {
    return parse(expression, attributes, Syntax.CONDITION);
  }

  /**
   * Parses an expression of the condition language given as {@code syntax}'s parameter.
   *
   * @throws InvalidValueException a syntax error or an expression DynamoDB would refuse
   */
  public static Condition parse(String expression, ExpressionAttributes attributes, Syntax syntax) {
    if (syntax.inline()) {
      return parseInline(expression);
    }
    int bytes = expression.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw syntax.error(
          "Expression size has exceeded the maximum allowed size; expression size: " + bytes);
    }
    if (expression.isBlank()) {
      throw syntax.error("The expression can not be empty;");
    }
    return new ConditionParser(expression, Lexer.tokens(expression, syntax), attributes, syntax)
        .all();
  }

  /**
   * The REST dialect: its length limit is in characters, and an empty expression is a syntax error.
   */
  private static Condition parseInline(String expression) {
    if (expression.length() > MAX_INLINE_LENGTH) {
      throw Syntax.REST.error("longer than " + MAX_INLINE_LENGTH + " characters");
    }
    List<Token> tokens = InlineLexer.tokens(expression);
    return new ConditionParser(expression, tokens, ExpressionAttributes.none(), Syntax.REST).all();
  }

  private Condition all() {
    Condition condition = or();
    if (peek().kind() != Token.Kind.END) {
      throw syntaxError(peek(), "AND, OR or the end");
    }
    return condition;
  }

  private Condition or() {
    Condition left = and();
    while (keyword("OR")) {
      left = new Condition.Or(left, and());
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (keyword("AND")) {
      left = new Condition.And(left, not());
    }
    return left;
  }

  private Condition not() {
    if (keyword("NOT")) {
      deeper();
      Condition not = new Condition.Not(not());
      nesting--;
      return not;
    }
    if (symbol("(")) {
      deeper();
      Condition inner = or();
      expect(")");
      nesting--;
      return inner;
    }
    Token token = peek();
    if (token.kind() == Token.Kind.NAME
        && lookahead(1).isSymbol("(")
        && !functionName(token).equals("size")) {
      Condition function = function(token);
      // the REST dialect lets the end check below answer, in its own words
      if (!syntax.inline() && comparatorAhead()) {
        throw syntax.error(
            "The function is not allowed to be used this way in an expression; function: "
                + token.text());
      }
      return function;
    }
    return predicate();
  }

  private void deeper() {
    if (++nesting > MAX_NESTING) {
      throw syntax.error(
          "The expression nests parentheses and NOT more than " + MAX_NESTING + " levels deep");
    }
  }

  private Condition function(Token name) {
    next += 2;
    Condition function =
        switch (functionName(name)) {
          case "attribute_exists" -> new Condition.Exists(pathArgument(name), true);
          case "attribute_not_exists" -> new Condition.Exists(pathArgument(name), false);
          case "attribute_type" -> {
            Path path = pathArgument(name);
            expect(",");
            yield new Condition.AttributeType(path, typeName(operand()));
          }
          case "begins_with" -> {
            Operand subject = operand();
            expect(",");
            Operand prefix = operand();
            requireType(name.text(), subject, Set.of("S", "B"));
            requireType(name.text(), prefix, Set.of("S", "B"));
            yield new Condition.BeginsWith(subject, prefix);
          }
          case "contains" -> {
            Operand subject = operand();
            expect(",");
            yield new Condition.Contains(subject, operand());
          }
          default ->
              throw syntax.inline()
                  ? syntaxError(name, "a condition (unknown function " + name.text() + ")")
                  : syntax.error("Invalid function name; function: " + name.text());
        };
    expect(")");
    return function;
  }

  private Condition predicate() {
    Token start = peek();
    Operand left = operand();
    if (keyword("BETWEEN")) {
      Operand low = operand();
      if (!keyword("AND")) {
        throw syntaxError(peek(), "AND (of BETWEEN)");
      }
      Operand high = operand();
      return between(left, low, high);
    }
    if (keyword("IN")) {
      expect("(");
      List<Operand> candidates = new ArrayList<>();
      do {
        candidates.add(operand());
      } while (symbol(","));
      expect(")");
      if (candidates.size() > MAX_IN_OPERANDS) {
        throw syntax.error(
            "The IN operator is provided with too many operands; number of operands: "
                + candidates.size());
      }
      return new Condition.In(left, candidates);
    }
    Condition.Comparator comparator = comparator();
    if (comparator == null && syntax.inline()) {
      throw syntaxError(peek(), "a comparison (= <> < <= > >=)");
    }
    if (comparator == null) {
      if (left instanceof Operand.Size) {
        throw syntax.error(
            "The function is not allowed to be used this way in an expression; function: size");
      }
      throw syntaxError(
          peek(), "a comparator (= <> < <= > >=), BETWEEN or IN after " + start.text());
    }
    Operand right = operand();
    if (comparator != Condition.Comparator.EQ && comparator != Condition.Comparator.NE) {
      requireType(comparator.symbol, left, Set.of("N", "S", "B"));
      requireType(comparator.symbol, right, Set.of("N", "S", "B"));
    }
    return new Condition.Compare(left, comparator, right);
  }

  private Condition between(Operand subject, Operand low, Operand high) {
    requireType("BETWEEN", subject, Set.of("N", "S", "B"));
    requireType("BETWEEN", low, Set.of("N", "S", "B"));
    requireType("BETWEEN", high, Set.of("N", "S", "B"));
    if (low instanceof Operand.Value lo && high instanceof Operand.Value hi) {
      String bounds =
          "; lower bound operand: AttributeValue: "
              + brief(lo.constant())
              + ", upper bound operand: AttributeValue: "
              + brief(hi.constant());
      Integer order = Order.compare(lo.constant(), hi.constant());
      if (order == null) {
        throw syntax.error(
            "The BETWEEN operator requires same data type for lower and upper bounds" + bounds);
      }
      if (order > 0) {
        throw syntax.error(
            "The BETWEEN operator requires upper bound to be greater than or equal to lower"
                + " bound"
                + bounds);
      }
    }
    return new Condition.Between(subject, low, high);
  }

  private Condition.Comparator comparator() {
    Token token = peek();
    if (token.kind() == Token.Kind.SYMBOL) {
      for (Condition.Comparator c : Condition.Comparator.values()) {
        if (c.symbol.equals(token.text())) {
          next++;
          return c;
        }
      }
    }
    return null;
  }

  private boolean comparatorAhead() {
    Token token = peek();
    return token.kind() == Token.Kind.SYMBOL && COMPARATORS.contains(token.text())
        || token.isKeyword("BETWEEN")
        || token.isKeyword("IN");
  }

  private Operand operand() {
    Token token = peek();
    if (syntax.inline()) {
      Operand literal = InlineLiteral.of(token);
      if (literal != null) {
        next++;
        return literal;
      }
      if (token.kind() != Token.Kind.NAME) {
        throw syntaxError(token, "an attribute, a number or a string");
      }
    }
    if (token.kind() == Token.Kind.VALUE_PLACEHOLDER) {
      next++;
      return new Operand.Value(token.text(), attributes.value(token.text(), syntax));
    }
    if (token.kind() == Token.Kind.NAME
        && functionName(token).equals("size")
        && lookahead(1).isSymbol("(")) {
      next += 2;
      Operand of = operand();
      if (of instanceof Operand.Value v && Operand.Size.size(v.constant()) == null) {
        throw incorrectType("size", v.constant().type());
      }
      if (of instanceof Operand.Size) {
        throw incorrectType("size", "N");
      }
      expect(")");
      return new Operand.Size(of);
    }
    if (!syntax.inline() && token.kind() == Token.Kind.NAME && lookahead(1).isSymbol("(")) {
      throw syntax.error(
          "The function is not allowed to be used this way in an expression; function: "
              + token.text());
    }
    return new Operand.Attribute(path());
  }

  private Path pathArgument(Token function) {
    Token token = peek();
    if (!syntax.inline()
        && token.kind() != Token.Kind.NAME
        && token.kind() != Token.Kind.NAME_PLACEHOLDER) {
      throw syntax.error(
          "Operator or function requires a document path; operator or function: "
              + function.text());
    }
    return path();
  }

  private Path path() {
    List<Object> steps = new ArrayList<>();
    steps.add(name(syntax.inline() ? "an attribute name" : NAME));
    while (true) {
      if (symbol(".")) {
        steps.add(name(syntax.inline() ? "an attribute name after '.'" : NAME));
      } else if (symbol("[")) {
        Token index = peek();
        if (!isIndex(index) || index.text().length() > 9) {
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

  private String name(String expected) {
    Token token = peek();
    if (token.kind() == Token.Kind.NAME_PLACEHOLDER) {
      next++;
      return attributes.name(token.text(), syntax);
    }
    if (token.kind() == Token.Kind.NAME && !isKeyword(token)) {
      next++;
      return token.text();
    }
    throw syntaxError(token, expected);
  }

  /** The REST dialect lexes a list index as a number (it cannot tell them apart). */
  private static boolean isIndex(Token token) {
    return token.kind() == Token.Kind.INDEX
        || token.kind() == Token.Kind.NUMBER && token.text().chars().allMatch(Character::isDigit);
  }

  /** A function's name as the dialect matches it: the REST dialect takes any case. */
  private String functionName(Token token) {
    return syntax.inline() ? token.text().toLowerCase(Locale.ROOT) : token.text();
  }

  private String typeName(Operand operand) {
    if (!(operand instanceof Operand.Value v) || !(v.constant() instanceof AttributeValue.S s)) {
      throw syntax.error(
          "Incorrect operand type for operator or function; operator or function: attribute_type,"
              + " operand type: "
              + (operand instanceof Operand.Value v ? v.constant().type() : "a document path"));
    }
    if (!TYPES.contains(s.value())) {
      throw syntax.error(
          "Invalid attribute type name found in type parameter; type: "
              + s.value()
              + " (one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
    }
    return s.value();
  }

  /** A constant operand must have one of {@code types}; paths are only known with the item. */
  private void requireType(String operator, Operand operand, Set<String> types) {
    if (operand instanceof Operand.Value v && !types.contains(v.constant().type())) {
      throw incorrectType(operator, v.constant().type());
    }
  }

  private InvalidValueException incorrectType(String operator, String type) {
    return syntax.error(
        "Incorrect operand type for operator or function; operator or function: "
            + operator
            + ", operand type: "
            + type);
  }

  private static String brief(AttributeValue value) {
    return DynamoJson.write(value).toString().replace("\"", "");
  }

  private static boolean isKeyword(Token token) {
    return token.isKeyword("AND")
        || token.isKeyword("OR")
        || token.isKeyword("NOT")
        || token.isKeyword("BETWEEN")
        || token.isKeyword("IN");
  }

  private boolean keyword(String word) {
    if (peek().isKeyword(word)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean symbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String symbol) {
    if (!symbol(symbol)) {
      throw syntaxError(peek(), "'" + symbol + "'");
    }
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token lookahead(int distance) {
    return tokens.get(Math.min(next + distance, tokens.size() - 1));
  }

  private InvalidValueException syntaxError(Token token, String expected) {
    if (syntax.inline()) {
      String found = token.kind() == Token.Kind.END ? "the end" : "'" + token.text() + "'";
      return syntax.error(
          "expected "
              + expected
              + " at position "
              + (token.position() + 1)
              + " but found "
              + found);
    }
    return syntax.error(
        "Syntax error; token: \""
            + token.text()
            + "\", near: "
            + Lexer.near(text, token.position())
            + "; expected "
            + expected);
  }
}
