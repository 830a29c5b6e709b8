package dev.portico.edge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.CanarySettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageHandlersTest {
  static CanarySettings canary(String body) {
    return StageHandlers.canary(AdminBodyTest.body(body).object());
  }

  @Test
  void shouldReadACanaryWithItsDefaults() {
    CanarySettings canary = canary("{\"percentTraffic\":10,\"deploymentId\":\"d1\"}");
    assertEquals(10.0, canary.percentTraffic());
    assertEquals("d1", canary.deploymentId());
    assertEquals(Map.of(), canary.stageVariableOverrides());
    assertFalse(canary.useStageCache());
    CanarySettings full =
        canary(
            "{\"percentTraffic\":2.5,\"deploymentId\":\"d2\","
                + "\"stageVariableOverrides\":{\"v\":\"x\"},\"useStageCache\":true}");
    assertEquals(Map.of("v", "x"), full.stageVariableOverrides());
    assertTrue(full.useStageCache());
  }

  @Test
  void shouldRequireANumericPercentTraffic() {
    for (String body : List.of("{\"deploymentId\":\"d1\"}", "{\"percentTraffic\":\"10\"}")) {
      AdminException e = assertThrows(AdminException.class, () -> canary(body));
      assertEquals(List.of("percentTraffic: required, a number 0 to 100"), e.problems());
    }
  }
}
