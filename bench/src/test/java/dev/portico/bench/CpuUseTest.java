package dev.portico.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CpuUseTest {
  @Test
  void busyTimeIsEverythingButIdleAndIowaitAndGuestTimeIsNotCountedTwice() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    long[] ticks = CpuUse.ticks("cpu  100 5 50 800 20 3 2 1 40 0");

    assertArrayEquals(new long[] {161, 981}, ticks);
  }

  @Test
  void theMachinesCoresAreThePerCoreLinesOfProcStat() {
    List<String> stat =
        List.of(
            "cpu  10 0 10 80 0 0 0 0 0 0",
            "cpu0 5 0 5 40 0 0 0 0 0 0",
            "cpu1 5 0 5 40 0 0 0 0 0 0",
            "cpu2 0 0 0 0 0 0 0 0 0 0",
            "intr 12 3",
            "ctxt 99",
            "procs_running 2");

    assertEquals(3, CpuUse.cores(stat));
    assertThrows(IllegalArgumentException.class, () -> CpuUse.cores(List.of("cpu  1 2 3 4")));
  }

  @Test
  void aLineThatIsNotTheAggregateCpuLineIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CpuUse.ticks("cpu0 1 2 3 4 5"));
    assertThrows(IllegalArgumentException.class, () -> CpuUse.ticks("intr 1 2"));
  }

  @Test
  void theMachineShareIsInPercentOfOneCoreAndTheGeneratorsIsItsCpuOverTheWallClock() {
    long second = TimeUnit.SECONDS.toNanos(1);
    CpuUse.Sample start = new CpuUse.Sample(1_000, 4_000, 4, 5 * second, 10 * second);
    // Half of the 4 cores' ticks were busy; the generator used 0.25 s of CPU in 1 s.
    CpuUse.Sample end = new CpuUse.Sample(1_500, 5_000, 4, 5 * second + second / 4, 11 * second);

    CpuUse use = CpuUse.between(start, end);

    assertEquals(200.0, use.machinePercent(), 1e-9);
    assertEquals(25.0, use.generatorPercent(), 1e-9);
    assertEquals("machine-cpu=200% generator-cpu=25%", use.fields(), "the greppable fields");
  }

  @Test
  void anUnreadableMachineShareIsReportedAsNotAvailable() {
    CpuUse.Sample start = new CpuUse.Sample(-1, -1, 0, 0, 0);
    CpuUse.Sample end = new CpuUse.Sample(-1, -1, 0, 500_000_000, 1_000_000_000);

    CpuUse use = CpuUse.between(start, end);

    assertTrue(Double.isNaN(use.machinePercent()));
    assertEquals("machine-cpu=n/a generator-cpu=50%", use.fields());
  }

  @Test
  void aResultLineEndsWithTheCpuFieldsOnlyWhenTheyWereMeasured() {
    Histogram micros = new Histogram(3);
    micros.recordValue(1_000);
    String unmeasured = LoadResult.of("write-path", "1000", 64, 999.5, micros, 0, 0, null).line();
    String measured =
        LoadResult.of("write-path", "1000", 64, 999.5, micros, 0, 0, new CpuUse(143, 9)).line();

    assertTrue(unmeasured.endsWith("non2xx=0 errors=0"), unmeasured);
    assertTrue(measured.endsWith("non2xx=0 errors=0 machine-cpu=143% generator-cpu=9%"), measured);
  }

  @Test
  void aLiveSampleOnLinuxReadsTheMachineAndThisProcess() {
    CpuUse.Sample start = CpuUse.sample();
    long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long spins = 0;
    while (System.nanoTime() < spinUntil) {
      spins++;
    }
    CpuUse use = CpuUse.between(start, CpuUse.sample());

    assertTrue(spins > 0);
    // This thread spun for the whole window: this JVM and the machine were busy (how much depends
    // on what else runs beside the test, so only a share no spinning thread can miss).
    assertTrue(use.generatorPercent() > 10, use.fields());
    assertTrue(use.machinePercent() > 10, use.fields());
    assertTrue(
        start.cores() >= Runtime.getRuntime().availableProcessors(),
        "/proc/stat counts at least the JVM's processors: " + start.cores());
  }
}
