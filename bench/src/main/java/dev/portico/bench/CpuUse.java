package dev.portico.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How busy the machine's cores and this load generator were over a measured window, in percent of
 * one core (200% is two cores fully busy). A latency target missed while the machine was saturated
 * is a CPU limit, not a queue in the suite; whatever the generator used was not the suite's.
 *
 * <p>The machine's share comes from the aggregate {@code cpu} line of {@code /proc/stat} (busy is
 * everything but idle and iowait), the generator's from its JVM's process CPU time. Where {@code
 * /proc/stat} cannot be read (not Linux), the machine's share is unknown and reported as {@code
 * n/a}.
 */
record CpuUse(double machinePercent, double generatorPercent) {
  private static final Path PROC_STAT = Path.of("/proc/stat");

  /**
   * The counters at one instant.
   *
   * @param cores the cores /proc/stat counts ({@code cpuN} lines): the machine's, which in a
   *     container with a CPU limit are more than the JVM's available processors
   */
  record Sample(long busyTicks, long allTicks, int cores, long processCpuNanos, long wallNanos) {}

  /** Reads the counters now: call at the start and at the end of the measured window. */
  static Sample sample() {
    List<String> stat = procStat();
    long[] ticks = {-1, -1};
    int cores = 0;
    try {
      ticks = ticks(stat.get(0));
      cores = cores(stat);
    } catch (RuntimeException e) {
      // Not Linux, or a /proc/stat this parser does not know: the machine's share is unknown.
    }
    return new Sample(ticks[0], ticks[1], cores, processCpuNanos(), System.nanoTime());
  }

  /** The use between two samples; machine share NaN when it could not be read. */
  static CpuUse between(Sample start, Sample end) {
    long wall = end.wallNanos() - start.wallNanos();
    long all = end.allTicks() - start.allTicks();
    double machine =
        start.allTicks() < 0 || all <= 0
            ? Double.NaN
            : 100.0 * end.cores() * (end.busyTicks() - start.busyTicks()) / all;
    double generator =
        wall <= 0 || start.processCpuNanos() < 0
            ? Double.NaN
            : 100.0 * (end.processCpuNanos() - start.processCpuNanos()) / wall;
    return new CpuUse(machine, generator);
  }

  /** Greppable {@code key=value} fields, e.g. {@code machine-cpu=187% generator-cpu=41%}. */
  String fields() {
    return "machine-cpu=" + percent(machinePercent) + " generator-cpu=" + percent(generatorPercent);
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", value);
  }

  /** The lines of /proc/stat, or none when it cannot be read. */
  private static List<String> procStat() {
    try {
      return Files.readAllLines(PROC_STAT);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The number of per-core lines ({@code cpu0}, {@code cpu1}, ...) of /proc/stat. */
  static int cores(List<String> stat) {
    int cores = (int) stat.stream().filter(line -> line.matches("cpu\\d+\\s.*")).count();
    if (cores == 0) {
      throw new IllegalArgumentException("no per-core line in /proc/stat");
    }
    return cores;
  }

  /**
   * {busy, all} jiffies from the aggregate line of /proc/stat: {@code cpu user nice system idle
   * iowait irq softirq steal [guest guest_nice]}; guest time is already counted in user time.
   */
  static long[] ticks(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (!f[0].equals("cpu") || f.length < 5) {
      throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
    }
    long all = 0;
    for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
      all += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {all - idle, all};
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
