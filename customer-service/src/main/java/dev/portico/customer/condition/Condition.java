package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed condition expression, evaluated against the current item ({@code null} when the item
 * does not exist, so that {@code attribute_not_exists(customer_id)} means "create only").
 */
public sealed interface Condition
    permits Condition.And,
        Condition.Or,
        Condition.Not,
        Condition.Exists,
        Condition.BeginsWith,
        Condition.Compare {

  boolean test(ObjectNode item);

  /** Both sides hold. */
  record And(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      return left.test(item) && right.test(item);
    }
  }

  /** Either side holds. */
  record Or(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      return left.test(item) || right.test(item);
    }
  }

  /** The inner condition does not hold. */
  record Not(Condition inner) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      return !inner.test(item);
    }
  }

  /** {@code attribute_exists(path)} or, negated, {@code attribute_not_exists(path)}. */
  record Exists(Path path, boolean expected) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      return (path.resolve(item) != null) == expected;
    }
  }

  /** {@code begins_with(path, 'prefix')}: true only when both are strings. */
  record BeginsWith(Operand subject, Operand prefix) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      JsonNode s = subject.value(item);
      JsonNode p = prefix.value(item);
      return s != null
          && p != null
          && s.isTextual()
          && p.isTextual()
          && s.asText().startsWith(p.asText());
    }
  }

  /**
   * A comparison. Numbers compare numerically, strings by code point; {@code =} and {@code <>}
   * compare any two JSON values. A missing operand or operands of different types make every
   * comparison false except {@code <>}, which is then true.
   */
  record Compare(Operand left, Comparator comparator, Operand right) implements Condition {
    @Override
    public boolean test(ObjectNode item) {
      JsonNode a = left.value(item);
      JsonNode b = right.value(item);
      if (a == null || b == null) {
        return comparator == Comparator.NE;
      }
      if (comparator == Comparator.EQ || comparator == Comparator.NE) {
        boolean equal =
            a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) == 0
                : a.equals(b);
        return equal == (comparator == Comparator.EQ);
      }
      int order;
      if (a.isNumber() && b.isNumber()) {
        order = a.decimalValue().compareTo(b.decimalValue());
      } else if (a.isTextual() && b.isTextual()) {
        order = a.asText().compareTo(b.asText());
      } else {
        return false;
      }
      return comparator.holds(order);
    }
  }

  /** Comparison operators with the order test each stands for. */
  enum Comparator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(int order) {
      return switch (this) {
        case EQ -> order == 0;
        case NE -> order != 0;
        case LT -> order < 0;
        case LE -> order <= 0;
        case GT -> order > 0;
        case GE -> order >= 0;
      };
    }
  }
}
