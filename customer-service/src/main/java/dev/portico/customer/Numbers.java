package dev.portico.customer;

import java.math.BigDecimal;

/**
 * Keeps integral results integral, so {@code price + 1} stays {@code 990001}, not {@code 990001.0}.
 */
final class Numbers {
  private Numbers() {}

  static BigDecimal normalize(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
