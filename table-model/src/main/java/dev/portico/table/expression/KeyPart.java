package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * One condition of a KeyConditionExpression, read as DynamoDB reads it: a top-level attribute, an
 * operator, and one value (two for BETWEEN). {@code :v < sk} is read as {@code sk > :v}.
 */
record KeyPart(
    String attribute,
    SortKeyCondition.Operator operator,
    AttributeValue value,
    AttributeValue high) {

  /**
   * @throws InvalidValueException an operator a key condition cannot use, or operands other than
   *     one top-level attribute and values, with DynamoDB's messages
   */
  static KeyPart of(Condition condition) {
    List<Operand> operands;
    SortKeyCondition.Operator operator;
    if (condition instanceof Condition.Compare compare) {
      operator =
          switch (compare.comparator()) {
            case EQ -> SortKeyCondition.Operator.EQ;
            case LT -> SortKeyCondition.Operator.LT;
            case LE -> SortKeyCondition.Operator.LE;
            case GT -> SortKeyCondition.Operator.GT;
            case GE -> SortKeyCondition.Operator.GE;
            case NE -> throw invalidOperator("<>");
          };
      operands = List.of(compare.left(), compare.right());
    } else if (condition instanceof Condition.Between between) {
      requireAttributeFirst("BETWEEN", between.subject());
      operator = SortKeyCondition.Operator.BETWEEN;
      operands = List.of(between.subject(), between.low(), between.high());
    } else if (condition instanceof Condition.BeginsWith beginsWith) {
      requireAttributeFirst("begins_with", beginsWith.subject());
      operator = SortKeyCondition.Operator.BEGINS_WITH;
      operands = List.of(beginsWith.subject(), beginsWith.prefix());
    } else {
      throw invalidOperator(name(condition));
    }
    String attribute = null;
    List<AttributeValue> values = new ArrayList<>();
    boolean attributeFirst = true;
    for (Operand operand : operands) {
      if (operand instanceof Operand.Attribute path) {
        if (attribute != null) {
          throw invalidCondition("Multiple attribute names used in one condition");
        }
        if (path.path().steps().size() > 1) {
          throw new InvalidValueException(
              "KeyConditionExpressions cannot have conditions on nested attributes");
        }
        attribute = (String) path.path().steps().get(0);
        attributeFirst = values.isEmpty();
      } else if (operand instanceof Operand.Size) {
        throw new InvalidValueException("KeyConditionExpressions cannot contain nested operations");
      } else {
        values.add(((Operand.Value) operand).constant());
      }
    }
    if (attribute == null) {
      throw invalidCondition("No key attribute specified");
    }
    return new KeyPart(
        attribute,
        attributeFirst ? operator : flipped(operator),
        values.get(0),
        values.size() > 1 ? values.get(1) : null);
  }

  private static SortKeyCondition.Operator flipped(SortKeyCondition.Operator operator) {
    return switch (operator) {
      case LT -> SortKeyCondition.Operator.GT;
      case LE -> SortKeyCondition.Operator.GE;
      case GT -> SortKeyCondition.Operator.LT;
      case GE -> SortKeyCondition.Operator.LE;
      default -> operator;
    };
  }

  private static void requireAttributeFirst(String operator, Operand subject) {
    if (!(subject instanceof Operand.Attribute)) {
      throw invalidCondition(
          operator + " operator must have the key attribute as its first operand");
    }
  }

  private static String name(Condition condition) {
    if (condition instanceof Condition.Exists exists) {
      return exists.expected() ? "attribute_exists" : "attribute_not_exists";
    }
    if (condition instanceof Condition.AttributeType) {
      return "attribute_type";
    }
    if (condition instanceof Condition.Contains) {
      return "contains";
    }
    if (condition instanceof Condition.In) {
      return "IN";
    }
    return condition instanceof Condition.Or ? "OR" : "NOT";
  }

  private static InvalidValueException invalidOperator(String operator) {
    return new InvalidValueException(
        "Invalid operator used in KeyConditionExpression: " + operator);
  }

  private static InvalidValueException invalidCondition(String problem) {
    return new InvalidValueException("Invalid condition in KeyConditionExpression: " + problem);
  }
}
