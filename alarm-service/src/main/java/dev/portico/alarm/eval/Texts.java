package dev.portico.alarm.eval;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number and date formats of CloudWatch's texts, in one place. */
public final class Texts {
  /** Datapoint times in reasons: {@code 08/09/23 07:06:00} (UTC). */
  static final DateTimeFormatter REASON_TIME =
      DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Times in StateReasonData: {@code 2023-09-08T07:06:00.000+0000}. */
  static final DateTimeFormatter REASON_DATA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** Times in emails: {@code Friday 08 September, 2023 07:11:14 UTC}. */
  public static final DateTimeFormatter EMAIL_TIME =
      DateTimeFormatter.ofPattern("EEEE dd MMMM, yyyy HH:mm:ss 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private Texts() {}

  /** A number as Java prints a double, as CloudWatch does: {@code 100000.0}, {@code 1.0E7}. */
  public static String number(double value) {
    return Double.toString(value);
  }

  public static String reasonTime(long epochMillis) {
    return REASON_TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String reasonDataTime(long epochMillis) {
    return REASON_DATA_TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String emailTime(long epochMillis) {
    return EMAIL_TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** {@code 1 datapoint}, {@code 2 datapoints}. */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String wasWere(int n) {
    return n == 1 ? "was" : "were";
  }
}
