package dev.portico.edge.config;

import dev.portico.contracts.Topics;
import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.contracts.edge.DeploymentRecord;
import dev.portico.contracts.edge.GatewayEntity;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  /** The key prefixes (before the slash) of the records a config is made of. */
  private static final Set<String> KINDS =
      Set.of("api", "deployment", "stage", "apikey", "usageplan");

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
   *
   * @throws IllegalArgumentException when the value is not the record its key names
   */
  public GatewayConfig apply(String key, byte[] value) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return this;
    }
    String kind = key.substring(0, slash);
    if (!KINDS.contains(kind)) {
      return this;
    }
    String id = key.substring(slash + 1);
    GatewayEntity entity = Topics.EDGE_CONFIG.decode(key, value);
    return switch (kind) {
      case "api" ->
          new GatewayConfig(
              with(apis, id, (ApiRecord) entity), deployments, stages, apiKeys, usagePlans);
      case "deployment" ->
          new GatewayConfig(
              apis, with(deployments, id, (DeploymentRecord) entity), stages, apiKeys, usagePlans);
      case "stage" ->
          new GatewayConfig(
              apis, deployments, with(stages, id, (StageRecord) entity), apiKeys, usagePlans);
      case "apikey" ->
          new GatewayConfig(
              apis, deployments, stages, with(apiKeys, id, (ApiKeyRecord) entity), usagePlans);
      default ->
          new GatewayConfig(
              apis, deployments, stages, apiKeys, with(usagePlans, id, (UsagePlanRecord) entity));
    };
  }

  private static <T> Map<String, T> with(Map<String, T> map, String id, T value) {
    Map<String, T> copy = new HashMap<>(map);
    if (value == null) {
      copy.remove(id);
    } else {
      copy.put(id, value);
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
