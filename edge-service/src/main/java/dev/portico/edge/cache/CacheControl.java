package dev.portico.edge.cache;

import java.util.Locale;

/**
 * {@code Cache-Control} parsed per directive (a substring search would take {@code s-maxage=0} for
 * {@code max-age=0}, or miss {@code Private}).
 */
public record CacheControl(boolean noStore, boolean isPrivate, boolean noCache, Integer maxAge) {
  public static final CacheControl NONE = new CacheControl(false, false, false, null);

  public static CacheControl parse(String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    boolean noStore = false;
    boolean isPrivate = false;
    boolean noCache = false;
    Integer maxAge = null;
    for (String raw : header.split(",")) {
      String directive = raw.trim().toLowerCase(Locale.ROOT);
      int eq = directive.indexOf('=');
      String name = eq < 0 ? directive : directive.substring(0, eq).trim();
      String value = eq < 0 ? null : directive.substring(eq + 1).trim().replace("\"", "");
      switch (name) {
        case "no-store" -> noStore = true;
        case "private" -> isPrivate = true;
        case "no-cache" -> noCache = true;
        case "max-age" -> {
          try {
            maxAge = Integer.parseInt(value);
          } catch (NumberFormatException | NullPointerException ignored) {
            // an unreadable max-age is no max-age
          }
        }
        default -> {}
      }
    }
    return new CacheControl(noStore, isPrivate, noCache, maxAge);
  }

  /** What a client sends to ask for a fresh answer. */
  public boolean asksForFresh() {
    return noCache || (maxAge != null && maxAge == 0);
  }

  /** Whether a response with these directives may be kept for other requests. */
  public boolean storable() {
    return !noStore && !isPrivate && !noCache;
  }
}
