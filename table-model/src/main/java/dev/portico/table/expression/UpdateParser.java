package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser of DynamoDB's update language:
 *
 * <pre>
 * update    := clause+                  each of SET, REMOVE, ADD, DELETE at most once
 * clause    := "SET" path "=" value ("," path "=" value)*
 *            | "REMOVE" path ("," path)*
 *            | "ADD" path :value ("," path :value)*
 *            | "DELETE" path :value ("," path :value)*
 * value     := operand (("+" | "-") operand)?
 * operand   := "if_not_exists" "(" path "," operand ")" | "list_append" "(" operand "," operand ")"
 *            | path | :value
 * </pre>
 *
 * Clause keywords are case-insensitive, function names are not. What DynamoDB refuses before
 * reading the item (a clause twice, overlapping paths, a constant of the wrong type, a key
 * attribute) is refused here with its message.
 */
final class UpdateParser {
  private static final List<String> CLAUSES = List.of("SET", "REMOVE", "ADD", "DELETE");

  private final TokenCursor cursor;

  private UpdateParser(TokenCursor cursor) {
    this.cursor = cursor;
  }

  static List<UpdateAction> parse(String text, ExpressionAttributes attributes) {
    UpdateParser parser =
        new UpdateParser(TokenCursor.of(text, attributes, Syntax.UPDATE, Set.copyOf(CLAUSES)));
    List<UpdateAction> actions = parser.clauses();
    PathOverlap.check(actions.stream().map(UpdateAction::path).toList(), Syntax.UPDATE);
    return actions;
  }

  private List<UpdateAction> clauses() {
    List<UpdateAction> actions = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    do {
      Token token = cursor.peek();
      String clause = token.text().toUpperCase(Locale.ROOT);
      if (token.kind() != Token.Kind.NAME || !CLAUSES.contains(clause)) {
        throw cursor.syntaxError(
            token, seen.isEmpty() ? "SET, REMOVE, ADD or DELETE" : "',', a clause or the end");
      }
      if (seen.contains(clause)) {
        throw cursor.error(
            "The \"" + clause + "\" section can only be used once in an update expression;");
      }
      seen.add(clause);
      cursor.skip(1);
      do {
        actions.add(action(clause));
      } while (cursor.symbol(","));
    } while (!cursor.atEnd());
    return actions;
  }

  private UpdateAction action(String clause) {
    Path path = cursor.path();
    return switch (clause) {
      case "SET" -> {
        cursor.expect("=");
        yield new UpdateAction.SetAction(path, value());
      }
      case "REMOVE" -> new UpdateAction.RemoveAction(path);
      case "ADD" -> {
        AttributeValue value = cursor.value().constant();
        requireType("ADD", value, Set.of("N", "SS", "NS", "BS"));
        yield new UpdateAction.AddAction(path, value);
      }
      default -> {
        AttributeValue value = cursor.value().constant();
        requireType("DELETE", value, Set.of("SS", "NS", "BS"));
        yield new UpdateAction.DeleteAction(path, value);
      }
    };
  }

  private void requireType(String operator, AttributeValue value, Set<String> types) {
    if (!types.contains(value.type())) {
      throw cursor.error(
          "Incorrect operand type for operator or function; operator: "
              + operator
              + ", operand type: "
              + TokenCursor.longTypeName(value));
    }
  }

  private UpdateValue value() {
    UpdateValue left = operand();
    boolean plus = cursor.peek().isSymbol("+");
    if (plus || cursor.peek().isSymbol("-")) {
      cursor.skip(1);
      UpdateValue right = operand();
      String operator = plus ? "+" : "-";
      requireConstantType(operator, left, "N");
      requireConstantType(operator, right, "N");
      return new UpdateValue.Arithmetic(left, plus, right);
    }
    return left;
  }

  private UpdateValue operand() {
    Token token = cursor.peek();
    if (token.kind() == Token.Kind.NAME && cursor.lookahead(1).isSymbol("(")) {
      return function(token);
    }
    if (token.kind() == Token.Kind.VALUE_PLACEHOLDER) {
      return new UpdateValue.Of(cursor.value());
    }
    if (!cursor.pathAhead()) {
      throw cursor.syntaxError(token, "an attribute name, #name, :value or function");
    }
    return new UpdateValue.Of(new Operand.Attribute(cursor.path()));
  }

  private UpdateValue function(Token name) {
    if (!name.text().equals("if_not_exists") && !name.text().equals("list_append")) {
      throw cursor.error("Invalid function name; function: " + name.text());
    }
    cursor.skip(2);
    List<UpdateValue> arguments = new ArrayList<>();
    do {
      arguments.add(operand());
    } while (cursor.symbol(","));
    cursor.expect(")");
    if (arguments.size() != 2) {
      throw cursor.error(
          "Incorrect number of operands for operator or function; operator or function: "
              + name.text()
              + ", number of operands: "
              + arguments.size());
    }
    if (name.text().equals("list_append")) {
      requireConstantType("list_append", arguments.get(0), "L");
      requireConstantType("list_append", arguments.get(1), "L");
      return new UpdateValue.ListAppend(arguments.get(0), arguments.get(1));
    }
    if (!(arguments.get(0) instanceof UpdateValue.Of of
        && of.operand() instanceof Operand.Attribute attribute)) {
      throw cursor.error(
          "Operator or function requires a document path; operator or function: if_not_exists");
    }
    return new UpdateValue.IfNotExists(attribute.path(), arguments.get(1));
  }

  /**
   * A constant operand must have {@code type}; paths and functions are only known with the item.
   */
  private void requireConstantType(String operator, UpdateValue operand, String type) {
    if (operand instanceof UpdateValue.Of of
        && of.operand() instanceof Operand.Value value
        && !value.constant().type().equals(type)) {
      throw cursor.error(
          "Incorrect operand type for operator or function; operator or function: "
              + operator
              + ", operand type: "
              + value.constant().type());
    }
  }
}
