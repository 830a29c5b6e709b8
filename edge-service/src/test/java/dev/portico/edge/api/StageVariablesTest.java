package dev.portico.edge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageVariablesTest {
  @Test
  void shouldSubstituteDefinedAndBlankUndefinedVariables() {
    assertEquals(
        "fn.orders.prod/x",
        StageVariables.substitute(
            "fn.orders.${stageVariables.alias}/${stageVariables.missing}x",
            Map.of("alias", "prod")));
    assertEquals("a$b\\c", StageVariables.substitute("${stageVariables.v}", Map.of("v", "a$b\\c")));
    assertEquals("plain", StageVariables.substitute("plain", Map.of()));
  }

  @Test
  void shouldAcceptOneHundredVariablesAndRejectOneMore() {
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      vars.put("v" + i, "x");
    }
    assertTrue(StageVariables.problems("variables", vars).isEmpty());
    vars.put("v100", "x");
    assertEquals(1, StageVariables.problems("variables", vars).size());
  }

  @Test
  void shouldCheckNamesAndValuesAgainstTheSpecCharacterSets() {
    assertTrue(StageVariables.problems("v", Map.of("ok_1", "A-z0.9_~:/?#&=,")).isEmpty());
    assertEquals(2, StageVariables.problems("v", Map.of("bad-name", "bad value")).size());
    assertEquals(1, StageVariables.problems("v", Map.of("x", "")).size());
  }
}
