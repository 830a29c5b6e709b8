package dev.portico.customer.state;

/**
 * Keys of the TTL index: the expiry in epoch seconds, zero-padded so that string order is time
 * order, then the item key. A range scan up to "now" finds every expired item without reading the
 * others.
 */
public final class TtlEntries {
  public static final String LOWEST = "0";

  private TtlEntries() {}

  public static String entry(long epochSeconds, String key) {
    return String.format("%019d/%s", epochSeconds, key);
  }

  /**
   * An inclusive range-scan bound above every entry of {@code epochSeconds}: the bare prefix of the
   * next second, which no entry equals (item keys are never empty).
   */
  public static String upperBound(long epochSeconds) {
    return String.format("%019d/", epochSeconds + 1);
  }
}
