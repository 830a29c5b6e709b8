package dev.portico.edge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.contracts.edge.StageSettings.CacheSettings;
import dev.portico.contracts.edge.StageSettings.MethodSettings;
import dev.portico.contracts.edge.ThrottleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingRulesTest {
  @Test
  void shouldAcceptSettingsWithinEveryBound() {
    StageSettings settings =
        new StageSettings(
            new ThrottleSettings(10, 1),
            Map.of("GET /pets/{id}", new MethodSettings(null, true, 3600)),
            new CacheSettings(GatewayAdmin.MAX_CACHE_BYTES, 0, true, "IGNORE", false, 0),
            List.of("10.0.0.0/8"),
            List.of("10.1.0.0/16"));
    assertEquals(List.of(), SettingRules.problems(settings));
  }

  @Test
  void shouldListEveryBrokenRuleAtOnce() {
    StageSettings settings =
        new StageSettings(
            new ThrottleSettings(0, 1),
            Map.of("pets", new MethodSettings(new ThrottleSettings(1, 0), null, 3601)),
            new CacheSettings(0, -1, false, "DROP", false, 0),
            List.of("10.0.0.0/33"),
            List.of("nope"));
    List<String> problems = SettingRules.problems(settings);
    assertEquals(
        List.of(
            "throttle: rateLimit > 0 and burstLimit >= 1",
            "methodSettings: keys are \"METHOD /path\", was pets",
            "methodSettings.pets.throttle: rateLimit > 0 and burstLimit >= 1",
            "methodSettings.pets.cacheTtlSeconds: 0 to 3600",
            "cache.ttlSeconds: 0 to 3600",
            "cache.sizeBytes: 1 to " + GatewayAdmin.MAX_CACHE_BYTES,
            "cache.unauthorizedInvalidation: FAIL_WITH_403 or IGNORE"),
        problems.subList(0, 7));
    assertEquals(9, problems.size(), problems.toString());
    assertEquals(true, problems.get(7).startsWith("ipAllow: "), problems.toString());
    assertEquals(true, problems.get(8).startsWith("ipDeny: "), problems.toString());
  }

  @Test
  void shouldTakeAnAbsentThrottleAndRefuseANaNRate() {
    List<String> problems = new ArrayList<>();
    SettingRules.throttle("t", null, problems);
    SettingRules.throttle("t", new ThrottleSettings(Double.NaN, 5), problems);
    assertEquals(List.of("t: rateLimit > 0 and burstLimit >= 1"), problems);
  }
}
