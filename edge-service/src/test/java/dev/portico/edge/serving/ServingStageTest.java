package dev.portico.edge.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.edge.routing.RouteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingStageTest {
  static Release release(boolean canary) {
    return new Release(
        "a",
        "a",
        "s",
        canary ? "c" : "m",
        new RouteTable(List.of()),
        Map.of(),
        canary,
        dev.portico.edge.api.ApiPolicies.NONE,
        dev.portico.contracts.edge.StageSettings.NONE,
        dev.portico.edge.policy.IpPolicy.OPEN,
        null,
        !canary);
  }

  final Release main = release(false);
  final Release canary = release(true);

  @Test
  void shouldSendNothingToACanaryAtZeroAndEverythingAtOneHundred() {
    ServingStage none = new ServingStage(main, canary, 0);
    ServingStage all = new ServingStage(main, canary, 100);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(main, none.pick());
      assertEquals(canary, all.pick());
    }
  }

  @Test
  void shouldSplitTrafficByThePercentage() {
    ServingStage tenth = new ServingStage(main, canary, 10);
    int n = 100_000;
    long toCanary =
        java.util.stream.IntStream.range(0, n).filter(i -> tenth.pick().canary()).count();
    // Binomial(100000, 0.1): sd ~95; 6 sd either side.
    assertTrue(Math.abs(toCanary - 10_000) < 570, "canary got " + toCanary);
  }
}
