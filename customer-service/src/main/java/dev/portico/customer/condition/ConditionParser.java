package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser of the condition language:
 *
 * <pre>
 * condition  := or
 * or         := and ("OR" and)*
 * and        := unary ("AND" unary)*
 * unary      := "NOT" unary | "(" condition ")" | function | comparison
 * function   := ("attribute_exists" | "attribute_not_exists") "(" path ")"
 *             | "begins_with" "(" operand "," operand ")"
 * comparison := operand ("=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") operand
 * operand    := "size" "(" path ")" | path | number | 'string' | "string" | true | false | null
 * path       := name ("." name | "[" digits "]")*
 * </pre>
 *
 * Keywords and function names are case-insensitive; attribute names are not. Errors name the
 * position and what was expected.
 */
public final class ConditionParser {
  /** Longest accepted expression, like DynamoDB's 4 KB. */
  public static final int MAX_LENGTH = 4096;

  private final List<Token> tokens;
  private int next;

  private ConditionParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  public static Condition parse(String expression) {
    if (expression.length() > MAX_LENGTH) {
      throw new ConditionSyntaxException("longer than " + MAX_LENGTH + " characters");
    }
    ConditionParser parser = new ConditionParser(Lexer.tokens(expression));
    Condition condition = parser.or();
    Token rest = parser.peek();
    if (rest.kind() != Token.Kind.END) {
      throw parser.unexpected(rest, "AND, OR or the end");
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
    Condition left = unary();
    while (keyword("AND")) {
      left = new Condition.And(left, unary());
    }
    return left;
  }

  private Condition unary() {
    if (keyword("NOT")) {
      return new Condition.Not(unary());
    }
    if (symbol("(")) {
      Condition inner = or();
      expect(")");
      return inner;
    }
    Token token = peek();
    if (token.kind() == Token.Kind.NAME && lookahead(1).isSymbol("(")) {
      String function = token.text().toLowerCase(Locale.ROOT);
      switch (function) {
        case "attribute_exists", "attribute_not_exists" -> {
          next += 2;
          Path path = path();
          expect(")");
          return new Condition.Exists(path, function.equals("attribute_exists"));
        }
        case "begins_with" -> {
          next += 2;
          Operand subject = operand();
          expect(",");
          Operand prefix = operand();
          expect(")");
          return new Condition.BeginsWith(subject, prefix);
        }
        case "size" -> {
          // a comparison starting with size(...): handled below
        }
        default -> throw unexpected(token, "a condition (unknown function " + token.text() + ")");
      }
    }
    Operand left = operand();
    Condition.Comparator comparator = comparator();
    return new Condition.Compare(left, comparator, operand());
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
    throw unexpected(token, "a comparison (= <> < <= > >=)");
  }

  private Operand operand() {
    Token token = peek();
    switch (token.kind()) {
      case NUMBER -> {
        next++;
        return new Operand.Literal(DecimalNode.valueOf(new BigDecimal(token.text())));
      }
      case STRING -> {
        next++;
        return new Operand.Literal(TextNode.valueOf(token.text()));
      }
      case NAME -> {
        String lower = token.text().toLowerCase(Locale.ROOT);
        if (lower.equals("size") && lookahead(1).isSymbol("(")) {
          next += 2;
          Path path = path();
          expect(")");
          return new Operand.Size(path);
        }
        JsonNode constant =
            switch (lower) {
              case "true" -> BooleanNode.TRUE;
              case "false" -> BooleanNode.FALSE;
              case "null" -> NullNode.getInstance();
              default -> null;
            };
        if (constant != null) {
          next++;
          return new Operand.Literal(constant);
        }
        return new Operand.Attribute(path());
      }
      default -> throw unexpected(token, "an attribute, a number or a string");
    }
  }

  private Path path() {
    Token first = peek();
    if (first.kind() != Token.Kind.NAME) {
      throw unexpected(first, "an attribute name");
    }
    next++;
    List<Object> steps = new ArrayList<>();
    steps.add(first.text());
    while (true) {
      if (symbol(".")) {
        Token name = peek();
        if (name.kind() != Token.Kind.NAME) {
          throw unexpected(name, "an attribute name after '.'");
        }
        next++;
        steps.add(name.text());
      } else if (symbol("[")) {
        Token index = peek();
        if (index.kind() != Token.Kind.NUMBER || !index.text().matches("\\d{1,9}")) {
          throw unexpected(index, "a list index");
        }
        next++;
        steps.add(Integer.valueOf(index.text()));
        expect("]");
      } else {
        return new Path(steps);
      }
    }
  }

  private boolean keyword(String word) {
    Token token = peek();
    if (token.kind() == Token.Kind.NAME && token.text().equalsIgnoreCase(word)) {
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
      throw unexpected(peek(), "'" + symbol + "'");
    }
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token lookahead(int distance) {
    return tokens.get(Math.min(next + distance, tokens.size() - 1));
  }

  private ConditionSyntaxException unexpected(Token token, String expected) {
    String found = token.kind() == Token.Kind.END ? "the end" : "'" + token.text() + "'";
    return new ConditionSyntaxException(
        "expected " + expected + " at position " + (token.position() + 1) + " but found " + found);
  }
}
