package dev.portico.alarm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import dev.portico.alarm.Definitions;
import dev.portico.alarm.model.PartialPeriod;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupTest {
  final DdSketches sketches = new DdSketches();

  static String sketchOf(double... values) throws Exception {
    DDSketch sketch = DDSketches.logarithmicCollapsingLowestDense(0.01, 2048);
    for (double v : values) {
      sketch.accept(v);
    }
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    sketch.encode(out, false);
    return Base64.getEncoder().encodeToString(out.trimmedCopy());
  }

  static MetricDatapoint minute(
      long start, double count, double sum, double min, double max, String sketch) {
    return new MetricDatapoint("ns", "m", Map.of(), 60, start, count, sum, min, max, null, sketch);
  }

  @Test
  void shouldAddCountsAndSumsKeepTheExtremesAndMergeSketches() throws Exception {
    PartialPeriod p = Rollup.add(null, minute(0, 3, 6, 1, 3, sketchOf(1, 2, 3)), 0, sketches);
    p = Rollup.add(p, minute(60_000, 2, 200, 100, 100, sketchOf(100, 100)), 0, sketches);
    assertEquals(5, p.sampleCount());
    assertEquals(206, p.sum());
    assertEquals(1, p.minimum());
    assertEquals(100, p.maximum());
    assertEquals(120_000, p.coveredUntil());
    AlarmDefinition p90 =
        new AlarmDefinition(
            "p90",
            AlarmDefinition.METRIC,
            null,
            "ns",
            "m",
            java.util.List.of(),
            null,
            "p90",
            null,
            120,
            1,
            1,
            50.0,
            "GreaterThanThreshold",
            "missing",
            null,
            true,
            java.util.List.of(),
            java.util.List.of(),
            java.util.List.of(),
            0,
            null);
    assertEquals(true, Rollup.complete(p, p90));
    double value = new StatisticValue(sketches).of(p90, Rollup.datapoint(p, p90)).getAsDouble();
    assertEquals(100, value, 1.0, "p90 of 1, 2, 3, 100, 100 within 1%");
  }

  @Test
  void aSubPeriodWithoutASketchShouldLeaveThePeriodWithoutPercentiles() throws Exception {
    PartialPeriod p = Rollup.add(null, minute(0, 3, 6, 1, 3, sketchOf(1, 2, 3)), 0, sketches);
    p = Rollup.add(p, minute(60_000, 10, 50, 1, 9, null), 0, sketches);
    assertNull(p.sketch());
    assertEquals(
        false,
        Rollup.complete(
            Rollup.add(null, minute(0, 1, 1, 1, 1, null), 0, sketches),
            Definitions.metric("x", "GreaterThanThreshold", 1, 120, 1, 1, "missing")));
  }

  @Test
  void shouldReadFromTheLargestEmittedPeriodThatDividesTheAlarmsPeriod() {
    assertEquals(60, Periods.source(60));
    assertEquals(60, Periods.source(120));
    assertEquals(300, Periods.source(900));
    assertEquals(3600, Periods.source(7200));
    assertEquals(1, Periods.source(10));
    assertEquals(1, Periods.source(30));
  }
}
