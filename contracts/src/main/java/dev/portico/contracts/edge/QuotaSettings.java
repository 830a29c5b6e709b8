package dev.portico.contracts.edge;

/**
 * At most {@code limit} requests per key per period; periods are calendar UTC: a DAY starts at
 * 00:00 UTC, a WEEK on Monday 00:00 UTC, a MONTH on the 1st 00:00 UTC.
 */
public record QuotaSettings(long limit, Period period) {
  public enum Period {
    DAY,
    WEEK,
    MONTH
  }
}
