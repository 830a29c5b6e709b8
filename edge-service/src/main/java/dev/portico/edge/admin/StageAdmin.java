package dev.portico.edge.admin;

import dev.portico.contracts.edge.CanarySettings;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.api.StageVariables;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.GatewayConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin operations on stages: create, change, delete, canaries, settings and cache flushes.
 * Stage names are gateway-wide (the first path segment alone picks the API), so a stage serves one
 * API. Like {@link GatewayAdmin}: checked against the applied config, one record per change,
 * blocking.
 */
public final class StageAdmin {
  private final ConfigTopic topic;
  private final ConfigWriter writer;

  StageAdmin(ConfigTopic topic, ConfigWriter writer) {
    this.topic = topic;
    this.writer = writer;
  }

  private GatewayConfig config() {
    return topic.current();
  }

  public StageRecord stage(String name) {
    return config().stage(name).orElseThrow(() -> AdminException.notFound("Stage " + name));
  }

  /** Creates or replaces a stage; its canary is kept when the API stays the same. */
  public StageRecord putStage(
      String name,
      String apiId,
      String deploymentId,
      String description,
      Map<String, String> variables) {
    List<String> problems = new ArrayList<>(StageVariables.problems("variables", variables));
    if (!name.matches(GatewayAdmin.STAGE_NAME)) {
      problems.add("stage name: must be 1-128 of A-Z a-z 0-9 _ -, was " + name);
    }
    if (apiId == null) {
      problems.add("apiId: required");
      if (deploymentId == null) {
        problems.add("deploymentId: required");
      }
    } else if (config().api(apiId).isEmpty()) {
      problems.add("apiId: no API " + apiId);
    } else {
      checkDeployment(apiId, deploymentId, "deploymentId", problems);
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    StageRecord existing = config().stage(name).orElse(null);
    String now = Instant.now().toString();
    CanarySettings canary =
        existing != null && existing.apiId().equals(apiId) ? existing.canary() : null;
    StageRecord stage =
        new StageRecord(
            name,
            apiId,
            deploymentId,
            description == null ? "" : description,
            variables,
            canary,
            existing == null ? now : existing.createdAt(),
            now,
            existing == null ? null : existing.settings());
    write(stage);
    return stage;
  }

  /**
   * Changes some of a stage's settings: {@code deploymentId} (a rollback is pointing it at an
   * earlier deployment), {@code description}, and {@code variables} merged in (a {@code null} value
   * removes that variable).
   */
  public StageRecord patchStage(
      String name, String deploymentId, String description, Map<String, String> variables) {
    StageRecord stage = stage(name);
    List<String> problems = new ArrayList<>();
    String deployment = stage.deploymentId();
    if (deploymentId != null) {
      checkDeployment(stage.apiId(), deploymentId, "deploymentId", problems);
      deployment = deploymentId;
    }
    Map<String, String> merged = new HashMap<>(stage.variables());
    if (variables != null) {
      variables.forEach(
          (k, v) -> {
            if (v == null) {
              merged.remove(k);
            } else {
              merged.put(k, v);
            }
          });
      Map<String, String> withCanary = new HashMap<>(merged);
      if (stage.canary() != null) {
        withCanary.putAll(stage.canary().stageVariableOverrides());
      }
      problems.addAll(StageVariables.problems("variables", withCanary));
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    StageRecord updated =
        new StageRecord(
            name,
            stage.apiId(),
            deployment,
            description == null ? stage.description() : description,
            merged,
            stage.canary(),
            stage.createdAt(),
            Instant.now().toString(),
            stage.settings());
    write(updated);
    return updated;
  }

  public void deleteStage(String name) {
    stage(name);
    writer.write(GatewayConfig.stageKey(name), null);
  }

  /** Replaces a stage's settings (throttles, cache, IP policy), all checked first. */
  public StageRecord putStageSettings(String name, StageSettings settings) {
    StageRecord stage = stage(name);
    List<String> problems = SettingRules.problems(settings);
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    // A flush cannot be undone by writing back an older (or zero) flush time.
    StageSettings.CacheSettings cache = settings.cache();
    StageSettings.CacheSettings previous = stage.settings().cache();
    if (cache != null && previous != null && previous.flushedAt() > cache.flushedAt()) {
      settings =
          new StageSettings(
              settings.throttle(),
              settings.methodSettings(),
              cache.flushed(previous.flushedAt()),
              settings.ipAllow(),
              settings.ipDeny());
    }
    StageRecord updated = stage.withSettings(settings, Instant.now().toString());
    write(updated);
    return updated;
  }

  /** Drops every cached response of the stage, on every replica (they apply the flush time). */
  public StageRecord flushCache(String name) {
    StageRecord stage = stage(name);
    StageSettings settings = stage.settings();
    if (settings.cache() == null) {
      throw AdminException.notFound("Response cache of stage " + name);
    }
    StageSettings flushed =
        new StageSettings(
            settings.throttle(),
            settings.methodSettings(),
            settings.cache().flushed(System.currentTimeMillis()),
            settings.ipAllow(),
            settings.ipDeny());
    StageRecord updated = stage.withSettings(flushed, Instant.now().toString());
    write(updated);
    return updated;
  }

  public StageRecord putCanary(String name, CanarySettings canary) {
    StageRecord stage = stage(name);
    List<String> problems = new ArrayList<>();
    if (!(canary.percentTraffic() >= 0 && canary.percentTraffic() <= 100)) {
      problems.add("percentTraffic: must be 0 to 100, was " + canary.percentTraffic());
    }
    checkDeployment(stage.apiId(), canary.deploymentId(), "deploymentId", problems);
    Map<String, String> all = new HashMap<>(stage.variables());
    all.putAll(canary.stageVariableOverrides());
    problems.addAll(StageVariables.problems("stageVariableOverrides", all));
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    StageRecord updated =
        stage.withDeployment(stage.deploymentId(), canary, Instant.now().toString());
    write(updated);
    return updated;
  }

  /**
   * Makes the canary the stage's deployment: its deployment, and its variable overrides merged into
   * the stage's variables; the canary is cleared.
   */
  public StageRecord promoteCanary(String name) {
    StageRecord stage = stage(name);
    CanarySettings canary = stage.canary();
    if (canary == null) {
      throw new AdminException(409, "Stage " + name + " has no canary to promote");
    }
    Map<String, String> variables = new HashMap<>(stage.variables());
    variables.putAll(canary.stageVariableOverrides());
    StageRecord promoted =
        new StageRecord(
            name,
            stage.apiId(),
            canary.deploymentId(),
            stage.description(),
            variables,
            null,
            stage.createdAt(),
            Instant.now().toString(),
            stage.settings());
    write(promoted);
    return promoted;
  }

  public StageRecord deleteCanary(String name) {
    StageRecord stage = stage(name);
    if (stage.canary() == null) {
      throw AdminException.notFound("Canary of stage " + name);
    }
    StageRecord updated =
        stage.withDeployment(stage.deploymentId(), null, Instant.now().toString());
    write(updated);
    return updated;
  }

  /** Refuses (before anything is written) a stage name that cannot serve API {@code apiId}. */
  void checkCanServe(String stage, String apiId) {
    if (!stage.matches(GatewayAdmin.STAGE_NAME)) {
      throw AdminException.invalid(
          List.of("stage name: must be 1-128 of A-Z a-z 0-9 _ -, was " + stage));
    }
    config()
        .stage(stage)
        .filter(s -> !s.apiId().equals(apiId))
        .ifPresent(
            s -> {
              throw new AdminException(
                  409, "Stage " + stage + " serves API " + s.apiId() + "; stage names are unique");
            });
  }

  /** Points a stage (created if new, canary kept) at a deployment of the API it serves. */
  void point(String name, String apiId, String deploymentId) {
    StageRecord existing = config().stage(name).orElse(null);
    String now = Instant.now().toString();
    StageRecord updated =
        existing == null
            ? new StageRecord(name, apiId, deploymentId, "", Map.of(), null, now, now, null)
            : existing.withDeployment(deploymentId, existing.canary(), now);
    write(updated);
  }

  private void checkDeployment(String apiId, String id, String field, List<String> problems) {
    if (id == null) {
      problems.add(field + ": required");
    } else if (config().deployment(id).filter(d -> d.apiId().equals(apiId)).isEmpty()) {
      problems.add(field + ": no deployment " + id + " of API " + apiId);
    }
  }

  private void write(StageRecord stage) {
    writer.write(GatewayConfig.stageKey(stage.name()), stage);
  }
}
