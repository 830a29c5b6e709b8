package dev.portico.stream;

import java.util.regex.Pattern;

/**
 * Sequence numbers as customer-service writes them: 21 decimal digits, zero-padded, so they compare
 * as strings. A client may send fewer digits ({@code "1230000"}); they are padded before any
 * comparison.
 */
final class SequenceNumbers {
  static final int DIGITS = 21;
  private static final Pattern VALID = Pattern.compile("[0-9]{1," + DIGITS + "}");

  private SequenceNumbers() {}

  /** The canonical 21-digit form, or a 400 naming the problem. */
  static String parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw StreamError.validation("sequenceNumber is required for this iterator type");
    }
    if (!VALID.matcher(raw).matches()) {
      throw StreamError.validation(
          "sequenceNumber must be 1 to "
              + DIGITS
              + " decimal digits, got '"
              + abbreviate(raw)
              + "'");
    }
    return "0".repeat(DIGITS - raw.length()) + raw;
  }

  static int compare(String a, String b) {
    return a.compareTo(b);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
