package dev.portico.table.value;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * DynamoDB's numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, kept in
 * one canonical form (no leading or trailing zeros, never an exponent with a negative scale), so
 * that equal numbers are equal values ({@code 1}, {@code 1.0} and {@code 1e0} are one number).
 */
public final class Numbers {
  public static final int MAX_DIGITS = 38;
  static final int MAX_EXPONENT = 125;
  static final int MIN_EXPONENT = -130;

  private Numbers() {}

  /**
   * Parses the text of an N value, as DynamoDB does.
   *
   * @throws InvalidValueException not a number, more than 38 significant digits, or out of range
   */
  public static BigDecimal parse(String text) {
    try {
      if (!text.isEmpty() && !Character.isWhitespace(text.charAt(0))) {
        return checked(new BigDecimal(text));
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidValueException(
        "The parameter cannot be converted to a numeric value: " + abbreviate(text));
  }

  /** The canonical form of {@code value}, checked against DynamoDB's limits. */
  public static BigDecimal checked(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    // checked before canonical(): its setScale(0) fails on 1E+999999999 (ArithmeticException)
    // and writes 1E+99999999 out as a hundred million digits
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.precision() > MAX_DIGITS) {
      throw new InvalidValueException(
          "Attempting to store more than 38 significant digits in a Number");
    }
    int exponent = exponent(stripped);
    if (exponent > MAX_EXPONENT) {
      throw new InvalidValueException(
          "Number overflow. Attempting to store a number with magnitude larger than supported"
              + " range");
    }
    if (exponent < MIN_EXPONENT) {
      throw new InvalidValueException(
          "Number underflow. Attempting to store a number with magnitude smaller than supported"
              + " range");
    }
    return canonical(stripped);
  }

  /** Trailing zeros stripped; integral values get scale 0 (so they print without an exponent). */
  public static BigDecimal canonical(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** The canonical text: plain digits, no exponent. */
  public static String text(BigDecimal canonical) {
    return canonical.toPlainString();
  }

  /** The power of ten of the leading digit: 0 for 1-9.99, 2 for 100, -1 for 0.1. */
  public static int exponent(BigDecimal nonZero) {
    return nonZero.precision() - nonZero.scale() - 1;
  }

  /** The significant digits of a canonical non-zero number, without sign. */
  public static String digits(BigDecimal canonical) {
    BigInteger unscaled = canonical.unscaledValue().abs();
    String digits = unscaled.toString();
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return digits.substring(0, end);
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
