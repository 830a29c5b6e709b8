package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatisticNameTest {
  @Test
  void standardStatisticsAndPercentilesUpToTwoDecimalsShouldParse() {
    assertEquals(Optional.of(new StatisticName("Average", null)), StatisticName.parse("Average"));
    assertEquals(99.9, StatisticName.parse("p99.9").orElseThrow().percent());
    assertEquals(99.99, StatisticName.parse("p99.99").orElseThrow().percent());
    assertEquals(0.0, StatisticName.parse("p0").orElseThrow().percent());
    assertEquals(100.0, StatisticName.parse("p100").orElseThrow().percent());
    assertTrue(StatisticName.isPercentile("p50"));
    assertFalse(StatisticName.isPercentile("Sum"));
  }

  @Test
  void anythingElseShouldNameNoStatistic() {
    for (String text :
        new String[] {"p99.999", "p100.01", "p101", "p", "p-1", "P99", "average", "", "p99."}) {
      assertEquals(Optional.empty(), StatisticName.parse(text), text);
    }
    assertEquals(Optional.empty(), StatisticName.parse(null));
  }
}
