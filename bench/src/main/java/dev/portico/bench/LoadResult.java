package dev.portico.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one benchmark run, formatted as a key=value line or a Markdown table row.
 *
 * @param cpu how busy the machine and the generator were over the measured window; null when not
 *     measured
 */
public record LoadResult(
    String scenario,
    String rate,
    int connections,
    double achievedPerSecond,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double p999Millis,
    double maxMillis,
    long non2xx,
    long errors,
    CpuUse cpu) {

  /**
   * Builds a result from a histogram recorded in microseconds.
   *
   * @param cpu the CPU use of the measured window, or null when it was not measured
   */
  static LoadResult of(
      String scenario,
      String rate,
      int connections,
      double achievedPerSecond,
      Histogram micros,
      long non2xx,
      long errors,
      CpuUse cpu) {
    return new LoadResult(
        scenario,
        rate,
        connections,
        achievedPerSecond,
        millis(micros.getValueAtPercentile(50)),
        millis(micros.getValueAtPercentile(90)),
        millis(micros.getValueAtPercentile(99)),
        millis(micros.getValueAtPercentile(99.9)),
        millis(micros.getMaxValue()),
        non2xx,
        errors,
        cpu);
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  /** One greppable line; the connection count only matters for the closed-loop scenario. */
  public String line() {
    String line =
        String.format(
            Locale.ROOT,
            "scenario=%s rate=%s achieved=%.1f/s p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms"
                + " max=%.2fms non2xx=%d errors=%d",
            scenario,
            rate,
            achievedPerSecond,
            p50Millis,
            p90Millis,
            p99Millis,
            p999Millis,
            maxMillis,
            non2xx,
            errors);
    if ("max".equals(rate)) {
      line += " connections=" + connections;
    }
    return cpu == null ? line : line + " " + cpu.fields();
  }

  /** The header that goes above {@link #markdownRow()} rows. */
  public static String markdownHeader() {
    return "| scenario | rate (req/s) | achieved (req/s) | p50 (ms) | p90 (ms) | p99 (ms)"
        + " | p99.9 (ms) | max (ms) | non-2xx | errors |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  }

  /** The same numbers as {@link #line()}, as a Markdown table row. */
  public String markdownRow() {
    String rateCell = "max".equals(rate) ? "max (" + connections + " conns)" : rate;
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d |",
        scenario,
        rateCell,
        achievedPerSecond,
        p50Millis,
        p90Millis,
        p99Millis,
        p999Millis,
        maxMillis,
        non2xx,
        errors);
  }
}
