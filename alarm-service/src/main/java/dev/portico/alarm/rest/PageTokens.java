package dev.portico.alarm.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Paging tokens: opaque to clients (URL-safe base64 of where the next page starts). */
final class PageTokens {
  private PageTokens() {}

  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** The position, or null (and a problem) when the token is not one we gave out. */
  static String decode(String token, Problems problems) {
    if (token == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      problems.add("NextToken is not one this API gave out");
      return null;
    }
  }
}
