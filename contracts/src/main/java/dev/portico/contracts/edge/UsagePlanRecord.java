package dev.portico.contracts.edge;

import java.util.List;
import java.util.Map;

/**
 * A usage plan: a throttle and a quota for each of its keys, on the API stages it lists, with
 * per-method throttles ({@code "GET /orders/{id}"} -> bucket) per stage.
 */
public record UsagePlanRecord(
    String id,
    String name,
    String description,
    ThrottleSettings throttle,
    QuotaSettings quota,
    List<ApiStage> apiStages,
    List<String> keyIds,
    String createdAt)
    implements GatewayEntity {
  public UsagePlanRecord {
    apiStages = apiStages == null ? List.of() : List.copyOf(apiStages);
    keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
  }

  /** An API stage a plan covers, with per-method throttles ({@code METHOD /path} -> bucket). */
  public record ApiStage(String apiId, String stage, Map<String, ThrottleSettings> throttle) {
    public ApiStage {
      throttle = throttle == null ? Map.of() : Map.copyOf(throttle);
    }
  }

  public boolean covers(String apiId, String stage) {
    return apiStages.stream().anyMatch(s -> s.apiId().equals(apiId) && s.stage().equals(stage));
  }

  public ThrottleSettings methodThrottle(String apiId, String stage, String routeKey) {
    return apiStages.stream()
        .filter(s -> s.apiId().equals(apiId) && s.stage().equals(stage))
        .map(s -> s.throttle().get(routeKey))
        .filter(t -> t != null)
        .findFirst()
        .orElse(null);
  }

  public UsagePlanRecord withKeys(List<String> keys) {
    return new UsagePlanRecord(id, name, description, throttle, quota, apiStages, keys, createdAt);
  }
}
