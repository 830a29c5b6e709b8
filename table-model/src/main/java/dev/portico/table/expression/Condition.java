package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A parsed condition (ConditionExpression or FilterExpression), evaluated against an item, or
 * against {@code null} when the item does not exist (then every attribute is missing, so {@code
 * attribute_not_exists(pk)} means "create only").
 *
 * <p>As in DynamoDB, a missing operand or operands of different types make {@code =}, the order
 * comparisons, BETWEEN, IN and the functions false, and {@code <>} true.
 */
public sealed interface Condition
    permits Condition.And,
        Condition.Or,
        Condition.Not,
        Condition.Compare,
        Condition.Between,
        Condition.In,
        Condition.Exists,
        Condition.AttributeType,
        Condition.BeginsWith,
        Condition.Contains {

  boolean test(Map<String, AttributeValue> item);

  /** Both sides hold. */
  record And(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      return left.test(item) && right.test(item);
    }
  }

  /** Either side holds. */
  record Or(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      return left.test(item) || right.test(item);
    }
  }

  /** The inner condition does not hold. */
  record Not(Condition inner) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      return !inner.test(item);
    }
  }

  /** {@code a = b}, {@code a <> b}, {@code a < b}, ...: equality of any types, order of N, S, B. */
  record Compare(Operand left, Comparator comparator, Operand right) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue a = left.value(item);
      AttributeValue b = right.value(item);
      if (comparator == Comparator.EQ || comparator == Comparator.NE) {
        boolean equal = a != null && a.equals(b);
        return equal == (comparator == Comparator.EQ);
      }
      Integer order = a == null || b == null ? null : Order.compare(a, b);
      return order != null && comparator.holds(order);
    }
  }

  /** {@code a BETWEEN low AND high}: low &lt;= a &lt;= high, all three of one ordered type. */
  record Between(Operand subject, Operand low, Operand high) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue a = subject.value(item);
      AttributeValue lo = low.value(item);
      AttributeValue hi = high.value(item);
      if (a == null || lo == null || hi == null) {
        return false;
      }
      Integer fromLow = Order.compare(a, lo);
      Integer toHigh = Order.compare(a, hi);
      return fromLow != null && toHigh != null && fromLow >= 0 && toHigh <= 0;
    }
  }

  /** {@code a IN (b, c, ...)}: a equals one of them. */
  record In(Operand subject, List<Operand> candidates) implements Condition {
    public In {
      candidates = List.copyOf(candidates);
    }

    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue a = subject.value(item);
      return a != null && candidates.stream().anyMatch(c -> a.equals(c.value(item)));
    }
  }

  /** {@code attribute_exists(path)} or, negated, {@code attribute_not_exists(path)}. */
  record Exists(Path path, boolean expected) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      return (path.resolve(item) != null) == expected;
    }
  }

  /** {@code attribute_type(path, :type)}: the attribute exists and has that type (S, N, ...). */
  record AttributeType(Path path, String type) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue value = path.resolve(item);
      return value != null && value.type().equals(type);
    }
  }

  /** {@code begins_with(path, prefix)}: a string starting with a string, or binary with binary. */
  record BeginsWith(Operand subject, Operand prefix) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue a = subject.value(item);
      AttributeValue p = prefix.value(item);
      if (a instanceof AttributeValue.S s && p instanceof AttributeValue.S t) {
        return s.value().startsWith(t.value());
      }
      if (a instanceof AttributeValue.B s && p instanceof AttributeValue.B t) {
        return s.value().startsWith(t.value());
      }
      return false;
    }
  }

  /**
   * {@code contains(path, operand)}: a substring of a string, a part of a binary, a member of a set
   * (of the operand's type), or an element of a list (of any type).
   */
  record Contains(Operand subject, Operand part) implements Condition {
    @Override
    public boolean test(Map<String, AttributeValue> item) {
      AttributeValue a = subject.value(item);
      AttributeValue p = part.value(item);
      if (a == null || p == null) {
        return false;
      }
      if (a instanceof AttributeValue.S s && p instanceof AttributeValue.S t) {
        return s.value().contains(t.value());
      }
      if (a instanceof AttributeValue.B s && p instanceof AttributeValue.B t) {
        return s.value().contains(t.value());
      }
      if (a instanceof AttributeValue.SS set && p instanceof AttributeValue.S member) {
        return set.value().contains(member.value());
      }
      if (a instanceof AttributeValue.NS set && p instanceof AttributeValue.N member) {
        BigDecimal number = member.value();
        return set.value().contains(number);
      }
      if (a instanceof AttributeValue.BS set && p instanceof AttributeValue.B member) {
        return set.value().contains(member.value());
      }
      if (a instanceof AttributeValue.L list) {
        return list.value().contains(p);
      }
      return false;
    }
  }

  /** The comparators, each with the order test it stands for. */
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
