package dev.portico.table.value;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DynamoDB attribute value: one of the ten types, immutable. Numbers are kept canonical ({@link
 * Numbers}) so that equal numbers are equal values; sets are never empty and keep their members'
 * first-seen order (DynamoDB sets have no order; keeping one makes answers stable).
 */
public sealed interface AttributeValue
    permits AttributeValue.S,
        AttributeValue.N,
        AttributeValue.B,
        AttributeValue.Bool,
        AttributeValue.Null,
        AttributeValue.M,
        AttributeValue.L,
        AttributeValue.SS,
        AttributeValue.NS,
        AttributeValue.BS {

  /** The type's name in DynamoDB JSON: S, N, B, BOOL, NULL, M, L, SS, NS, BS. */
  String type();

  static S s(String value) {
    return new S(value);
  }

  static N n(String text) {
    return new N(Numbers.parse(text));
  }

  static N n(long value) {
    return new N(BigDecimal.valueOf(value));
  }

  static B b(byte[] value) {
    return new B(Bytes.of(value));
  }

  /** A string. */
  record S(String value) implements AttributeValue {
    public S {
      Objects.requireNonNull(value);
    }

    @Override
    public String type() {
      return "S";
    }
  }

  /** A number, canonical and within DynamoDB's range and precision. */
  record N(BigDecimal value) implements AttributeValue {
    public N {
      value = Numbers.checked(value);
    }

    public String text() {
      return Numbers.text(value);
    }

    @Override
    public String type() {
      return "N";
    }
  }

  /** Binary data. */
  record B(Bytes value) implements AttributeValue {
    public B {
      Objects.requireNonNull(value);
    }

    @Override
    public String type() {
      return "B";
    }
  }

  /** A boolean. */
  record Bool(boolean value) implements AttributeValue {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    public static Bool of(boolean value) {
      return value ? TRUE : FALSE;
    }

    @Override
    public String type() {
      return "BOOL";
    }
  }

  /** The null value. */
  record Null() implements AttributeValue {
    public static final Null NULL = new Null();

    @Override
    public String type() {
      return "NULL";
    }
  }

  /** A map of named values (a document). */
  record M(Map<String, AttributeValue> value) implements AttributeValue {
    public M {
      value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    @Override
    public String type() {
      return "M";
    }
  }

  /** A list of values of any types. */
  record L(List<AttributeValue> value) implements AttributeValue {
    public L {
      value = List.copyOf(value);
    }

    @Override
    public String type() {
      return "L";
    }
  }

  /** A set of strings. */
  record SS(Set<String> value) implements AttributeValue {
    public SS {
      value = nonEmpty(value, "SS");
    }

    @Override
    public String type() {
      return "SS";
    }
  }

  /** A set of numbers, each canonical and within DynamoDB's range and precision. */
  record NS(Set<BigDecimal> value) implements AttributeValue {
    public NS {
      Set<BigDecimal> canonical = new LinkedHashSet<>();
      value.forEach(n -> canonical.add(Numbers.checked(n)));
      value = nonEmpty(canonical, "NS");
    }

    @Override
    public String type() {
      return "NS";
    }
  }

  /** A set of binary values. */
  record BS(Set<Bytes> value) implements AttributeValue {
    public BS {
      value = nonEmpty(value, "BS");
    }

    @Override
    public String type() {
      return "BS";
    }
  }

  private static <T> Set<T> nonEmpty(Set<T> members, String type) {
    if (members.isEmpty()) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: An " + type + " may not be empty");
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(members));
  }
}
