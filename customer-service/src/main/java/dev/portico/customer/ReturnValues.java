package dev.portico.customer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a write answers with, chosen by the {@code x-return-values} header (case-insensitive):
 * nothing, the whole item before or after, or only the attributes the update touched, before or
 * after.
 */
enum ReturnValues {
  NONE,
  ALL_OLD,
  ALL_NEW,
  UPDATED_OLD,
  UPDATED_NEW;

  static final String HEADER = "x-return-values";

  static ReturnValues parse(String value, ReturnValues defaultValue, ReturnValues... allowed)
      throws ItemValidation.Invalid {
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    String normalized = value.trim().toUpperCase(Locale.ROOT);
    for (ReturnValues candidate : allowed) {
      if (candidate.name().equals(normalized)) {
        return candidate;
      }
    }
    throw new ItemValidation.Invalid(
        400,
        "Unknown ReturnValues '"
            + value
            + "' for this operation (expected one of "
            + Arrays.stream(allowed).map(Enum::name).collect(Collectors.joining(", "))
            + ")");
  }
}
