package dev.portico.edge.config;

import dev.portico.contracts.Json;
import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.contracts.edge.DeploymentRecord;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway is configured with, as of one offset of the config topic. Immutable: each
 * change makes a new instance, so a reader always sees one consistent version.
 *
 * <p>Keys on the topic: {@code api/{id}}, {@code deployment/{id}}, {@code stage/{name}}, {@code
 * apikey/{id}}, {@code usageplan/{id}}.
 */
public record GatewayConfig(
    Map<String, ApiRecord> apis,
    Map<String, DeploymentRecord> deployments,
    Map<String, StageRecord> stages,
    Map<String, ApiKeyRecord> apiKeys,
    Map<String, UsagePlanRecord> usagePlans) {
  public static final GatewayConfig EMPTY =
      new GatewayConfig(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public static String apiKey(String id) {
    return "api/" + id;
  }

  public static String deploymentKey(String id) {
    return "deployment/" + id;
  }

  public static String stageKey(String name) {
    return "stage/" + name;
  }

  public static String apiKeyKey(String id) {
    return "apikey/" + id;
  }

  public static String usagePlanKey(String id) {
    return "usageplan/" + id;
  }

  /**
   * This config with one record applied; {@code value == null} deletes. Unknown keys are kept out.
   */
  public GatewayConfig apply(String key, byte[] value) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return this;
    }
    String id = key.substring(slash + 1);
    return switch (key.substring(0, slash)) {
      case "api" ->
          new GatewayConfig(
              with(apis, id, value, ApiRecord.class), deployments, stages, apiKeys, usagePlans);
      case "deployment" ->
          new GatewayConfig(
              apis,
              with(deployments, id, value, DeploymentRecord.class),
              stages,
              apiKeys,
              usagePlans);
      case "stage" ->
          new GatewayConfig(
              apis, deployments, with(stages, id, value, StageRecord.class), apiKeys, usagePlans);
      case "apikey" ->
          new GatewayConfig(
              apis, deployments, stages, with(apiKeys, id, value, ApiKeyRecord.class), usagePlans);
      case "usageplan" ->
          new GatewayConfig(
              apis,
              deployments,
              stages,
              apiKeys,
              with(usagePlans, id, value, UsagePlanRecord.class));
      default -> this;
    };
  }

  private static <T> Map<String, T> with(
      Map<String, T> map, String id, byte[] value, Class<T> type) {
    Map<String, T> copy = new HashMap<>(map);
    if (value == null) {
      copy.remove(id);
    } else {
      copy.put(id, Json.fromBytes(value, type));
    }
    return Map.copyOf(copy);
  }

  public Optional<ApiRecord> api(String id) {
    return Optional.ofNullable(apis.get(id));
  }

  public Optional<DeploymentRecord> deployment(String id) {
    return Optional.ofNullable(deployments.get(id));
  }

  public Optional<StageRecord> stage(String name) {
    return Optional.ofNullable(stages.get(name));
  }

  /** An API's deployments, newest first: its deployment history. */
  public List<DeploymentRecord> deploymentsOf(String apiId) {
    return deployments.values().stream()
        .filter(d -> d.apiId().equals(apiId))
        .sorted(
            Comparator.comparing(DeploymentRecord::createdAt)
                .thenComparing(DeploymentRecord::id)
                .reversed())
        .toList();
  }

  public List<StageRecord> stagesOf(String apiId) {
    return stages.values().stream()
        .filter(s -> s.apiId().equals(apiId))
        .sorted(Comparator.comparing(StageRecord::name))
        .toList();
  }
}
