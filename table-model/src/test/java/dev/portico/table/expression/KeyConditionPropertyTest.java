package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.Bytes;
import java.math.BigDecimal;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Key conditions against the reference orders: for a random condition and a random key, the key's
 * encoding is in the condition's range exactly when its partition key is the condition's and its
 * sort key satisfies the condition by BigDecimal's order (N) or unsigned-bytes order and prefix
 * (B); {@code matches} agrees. Binary keys are made of 0x00, 0x01 and 0xFF bytes, where the
 * encoding's escapes and the range's ends are.
 */
class KeyConditionPropertyTest {
  static final String[] OPERATORS = {"=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"};

  @Property(tries = 3000)
  void binarySortKeysAreInTheRangeExactlyWhenTheyMatch(
      @ForAll("binaries") byte[] pk,
      @ForAll("operators") String operator,
      @ForAll("binaries") byte[] x,
      @ForAll("binaries") byte[] y,
      @ForAll("binaries") byte[] candidatePk,
      @ForAll("binaries") byte[] candidateSk) {
    check(
        KeyType.B,
        pk,
        operator,
        AttributeValue.b(x),
        AttributeValue.b(y),
        candidatePk,
        AttributeValue.b(candidateSk));
  }

  @Property(tries = 3000)
  void numberSortKeysAreInTheRangeExactlyWhenTheyMatch(
      @ForAll("binaries") byte[] pk,
      @ForAll("numericOperators") String operator,
      @ForAll("numbers") BigDecimal x,
      @ForAll("numbers") BigDecimal y,
      @ForAll("binaries") byte[] candidatePk,
      @ForAll("numbers") BigDecimal candidateSk) {
    check(
        KeyType.N,
        pk,
        operator,
        new AttributeValue.N(x),
        new AttributeValue.N(y),
        candidatePk,
        new AttributeValue.N(candidateSk));
  }

  static void check(
      KeyType sortType,
      byte[] pk,
      String operator,
      AttributeValue x,
      AttributeValue y,
      byte[] candidatePk,
      AttributeValue candidateSk) {
    AttributeValue low = compare(x, y) <= 0 ? x : y;
    AttributeValue high = low == x ? y : x;
    String sortCondition =
        switch (operator) {
          case "BETWEEN" -> "sk BETWEEN :x AND :y";
          case "begins_with" -> "begins_with(sk, :x)";
          default -> "sk " + operator + " :x";
        };
    KeyCondition condition =
        KeyCondition.parse(
            "pk = :pk AND " + sortCondition,
            ExpressionAttributes.of(
                null,
                operator.equals("BETWEEN")
                    ? Map.of(":pk", AttributeValue.b(pk), ":x", low, ":y", high)
                    : Map.of(":pk", AttributeValue.b(pk), ":x", x)),
            new KeySchema("pk", KeyType.B, "sk", sortType));

    int c = compare(candidateSk, operator.equals("BETWEEN") ? low : x);
    boolean sortMatches =
        switch (operator) {
          case "=" -> c == 0;
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          case ">=" -> c >= 0;
          case "BETWEEN" -> c >= 0 && compare(candidateSk, high) <= 0;
          default ->
              ((AttributeValue.B) candidateSk).value().startsWith(((AttributeValue.B) x).value());
        };
    boolean expected = Bytes.of(pk).equals(Bytes.of(candidatePk)) && sortMatches;
    byte[] key = KeyEncoding.encode(AttributeValue.b(candidatePk), candidateSk);
    String what = operator + " " + x + " " + y + " on " + candidateSk;
    assertEquals(expected, condition.range().contains(key), what);
    assertEquals(sortMatches, condition.matches(candidateSk), what);
  }

  static int compare(AttributeValue a, AttributeValue b) {
    return a instanceof AttributeValue.N n
        ? n.value().compareTo(((AttributeValue.N) b).value())
        : ((AttributeValue.B) a).value().compareTo(((AttributeValue.B) b).value());
  }

  @Provide
  Arbitrary<String> operators() {
    return Arbitraries.of(OPERATORS);
  }

  @Provide
  Arbitrary<String> numericOperators() {
    return Arbitraries.of("=", "<", "<=", ">", ">=", "BETWEEN");
  }

  @Provide
  Arbitrary<byte[]> binaries() {
    return Arbitraries.of((byte) 0, (byte) 1, (byte) 0xFF)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            list -> {
              byte[] bytes = new byte[list.size()];
              for (int i = 0; i < bytes.length; i++) {
                bytes[i] = list.get(i);
              }
              return bytes;
            });
  }

  @Provide
  Arbitrary<BigDecimal> numbers() {
    return Arbitraries.of("-10", "-1.5", "-1", "0", "0.05", "1", "1.5", "2", "10", "100")
        .map(BigDecimal::new);
  }
}
