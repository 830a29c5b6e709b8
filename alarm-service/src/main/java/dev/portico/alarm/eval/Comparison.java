package dev.portico.alarm.eval;

/**
 * The four static-threshold comparisons; the metric's value is the left operand. Each carries the
 * words reason texts use ("was greater than the threshold").
 */
public enum Comparison {
  GreaterThanThreshold("greater than"),
  GreaterThanOrEqualToThreshold("greater than or equal to"),
  LessThanThreshold("less than"),
  LessThanOrEqualToThreshold("less than or equal to");

  private final String words;

  Comparison(String words) {
    this.words = words;
  }

  public String words() {
    return words;
  }

  public boolean breaches(double value, double threshold) {
    return switch (this) {
      case GreaterThanThreshold -> value > threshold;
      case GreaterThanOrEqualToThreshold -> value >= threshold;
      case LessThanThreshold -> value < threshold;
      case LessThanOrEqualToThreshold -> value <= threshold;
    };
  }

  /** The comparison named {@code name}, or null when there is none. */
  public static Comparison named(String name) {
    for (Comparison c : values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
