package dev.portico.table.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NumbersTest {
  @Test
  void equalNumbersAreEqualValuesWhateverTheirSpelling() {
    assertEquals(AttributeValue.n("1"), AttributeValue.n("1.0"));
    assertEquals(AttributeValue.n("1"), AttributeValue.n("1e0"));
    assertEquals(AttributeValue.n("100"), AttributeValue.n("1E+2"));
    assertEquals(AttributeValue.n("0"), AttributeValue.n("-0.000"));
    assertEquals("100", AttributeValue.n("1E+2").text());
    assertEquals("0.05", AttributeValue.n("5e-2").text());
  }

  @Test
  void keepsThirtyEightSignificantDigitsExactly() {
    String digits38 = "1234567890123456789012345678901234567.8";
    assertEquals(digits38, AttributeValue.n(digits38).text());
    assertEquals(
        "-99999999999999999999999999999999999999",
        AttributeValue.n("-99999999999999999999999999999999999999").text());
  }

  @Test
  void acceptsTheWholeRangeWhateverTheTrailingZeros() {
    assertEquals("1" + "0".repeat(125), AttributeValue.n("1E+125").text());
    assertEquals(
        AttributeValue.n("9.9999999999999999999999999999999999999E+125").value().precision(), 126);
    assertEquals("1E-130", AttributeValue.n("1E-130").value().toString());
  }

  @Test
  void refusesWhatDynamoDbRefuses() {
    assertMessage(
        "Attempting to store more than 38 significant digits in a Number",
        "1234567890123456789012345678901234567891");
    assertMessage(
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
        "1E+126");
    assertMessage(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        "1E-131");
    assertMessage("The parameter cannot be converted to a numeric value: abc", "abc");
    assertMessage("The parameter cannot be converted to a numeric value: ", "");
    assertMessage("The parameter cannot be converted to a numeric value:  1", " 1");
    assertMessage("The parameter cannot be converted to a numeric value: NaN", "NaN");
    assertMessage("The parameter cannot be converted to a numeric value: Infinity", "Infinity");
  }

  @Test
  @Timeout(10)
  void refusesHugeExponentsWithoutExpandingThem() {
    // refused from the exponent alone, never by writing the number out (no ArithmeticException)
    assertMessage(
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
        "1E+999999999");
    assertMessage(
        "Number underflow. Attempting to store a number with magnitude smaller than supported"
            + " range",
        "1E-999999999");
    assertThrows(
        InvalidValueException.class,
        () -> new AttributeValue.N(new java.math.BigDecimal("5E+999999999")));
  }

  @Test
  void setsAreNeverEmpty() {
    assertEquals(
        "One or more parameter values were invalid: An NS may not be empty",
        assertThrows(InvalidValueException.class, () -> new AttributeValue.NS(Set.of()))
            .getMessage());
    assertThrows(InvalidValueException.class, () -> new AttributeValue.SS(Set.of()));
    assertThrows(InvalidValueException.class, () -> new AttributeValue.BS(Set.of()));
  }

  private static void assertMessage(String message, String text) {
    assertEquals(
        message, assertThrows(InvalidValueException.class, () -> Numbers.parse(text)).getMessage());
  }
}
