package dev.portico.edge.plans;

import dev.portico.contracts.edge.QuotaSettings;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/** Calendar quota periods in UTC: the days a period covers and when it resets. */
public final class QuotaPeriods {
  private QuotaPeriods() {}

  public static LocalDate start(QuotaSettings.Period period, LocalDate day) {
    return switch (period) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  /** The first day of the next period. */
  public static LocalDate next(QuotaSettings.Period period, LocalDate day) {
    LocalDate start = start(period, day);
    return switch (period) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }

  /** Seconds from {@code now} until the period containing it resets. */
  public static long secondsUntilReset(QuotaSettings.Period period, ZonedDateTime now) {
    ZonedDateTime reset = next(period, now.toLocalDate()).atStartOfDay(ZoneOffset.UTC);
    return Math.max(1, java.time.Duration.between(now, reset).toSeconds());
  }
}
