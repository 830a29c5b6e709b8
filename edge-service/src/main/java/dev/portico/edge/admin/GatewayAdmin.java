package dev.portico.edge.admin;

import dev.portico.contracts.Json;
import dev.portico.edge.api.ApiExporter;
import dev.portico.edge.api.ApiImporter;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.api.StageVariables;
import dev.portico.edge.config.ApiRecord;
import dev.portico.edge.config.CanarySettings;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.DeploymentRecord;
import dev.portico.edge.config.GatewayConfig;
import dev.portico.edge.config.StageRecord;
import dev.portico.edge.config.StageSettings;
import dev.portico.edge.config.ThrottleSettings;
import dev.portico.edge.policy.Cidr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The admin operations on APIs, deployments and stages: validates against the config this replica
 * has applied, then writes one record per change to the config topic and returns once this replica
 * applied it. Blocking; callers run it off the event loop.
 *
 * <p>Concurrent admins on different replicas are last-writer-wins per key (API, deployment, stage),
 * like two {@code PUT}s racing on any REST resource.
 */
public final class GatewayAdmin {
  public static final String STAGE_NAME = "[A-Za-z0-9_-]{1,128}";

  /** The largest response cache a stage may have: 1 GiB of bodies. */
  public static final long MAX_CACHE_BYTES = 1L << 30;

  private static final String API_ID = "[a-z0-9][a-z0-9-]{0,63}";

  private final ConfigTopic topic;
  private final ApiImporter importer;
  private final ConfigWriter writer;

  public GatewayAdmin(ConfigTopic topic, ApiImporter importer) {
    this.topic = topic;
    this.importer = importer;
    this.writer = new ConfigWriter(topic);
  }

  public GatewayConfig config() {
    return topic.current();
  }

  // ---- APIs

  /**
   * Imports a document as API {@code id} (default: its title, slugged).
   *
   * @param replace whether an existing API of that id may be overwritten (PUT) or not (POST)
   */
  public ApiRecord importApi(String id, byte[] document, boolean replace) {
    ApiImporter.Imported imported;
    try {
      imported = importer.importDocument(document);
    } catch (InvalidApiException e) {
      throw new AdminException(400, "Invalid API document", e.problems());
    }
    String apiId = id == null ? slug(imported.definition().name()) : id;
    if (!apiId.matches(API_ID)) {
      throw AdminException.invalid(
          List.of("id: must match " + API_ID + " (lower-case letters, digits, -), was " + apiId));
    }
    if (!replace && config().api(apiId).isPresent()) {
      throw new AdminException(
          409, "API " + apiId + " already exists; PUT /apis/" + apiId + " replaces it");
    }
    ApiRecord record =
        new ApiRecord(
            apiId,
            imported.definition().name(),
            Json.toString(imported.document()),
            Instant.now().toString(),
            imported.warnings());
    write(GatewayConfig.apiKey(apiId), record);
    return record;
  }

  public ApiRecord api(String id) {
    return config().api(id).orElseThrow(() -> AdminException.notFound("API " + id));
  }

  public String export(String id, boolean withExtensions, ApiExporter.Format format) {
    return ApiExporter.export(api(id).document(), withExtensions, format);
  }

  /** Deletes an API and its deployment history; refused while a stage serves it. */
  public void deleteApi(String id) {
    api(id);
    List<String> stages = config().stagesOf(id).stream().map(StageRecord::name).toList();
    if (!stages.isEmpty()) {
      throw new AdminException(
          409, "API " + id + " is served by stages " + stages + "; delete them first");
    }
    for (DeploymentRecord d : config().deploymentsOf(id)) {
      write(GatewayConfig.deploymentKey(d.id()), null);
    }
    write(GatewayConfig.apiKey(id), null);
  }

  // ---- Deployments

  /** Snapshots the API's current document; with {@code stage}, points that stage at it too. */
  public DeploymentRecord deploy(String apiId, String description, String stage) {
    ApiRecord api = api(apiId);
    if (stage != null) {
      checkStageName(stage);
      checkStageApi(stage, apiId);
    }
    DeploymentRecord deployment =
        new DeploymentRecord(
            newId(),
            apiId,
            Instant.now().toString(),
            description == null ? "" : description,
            api.document());
    write(GatewayConfig.deploymentKey(deployment.id()), deployment);
    if (stage != null) {
      StageRecord existing = config().stage(stage).orElse(null);
      String now = Instant.now().toString();
      StageRecord updated =
          existing == null
              ? new StageRecord(stage, apiId, deployment.id(), "", Map.of(), null, now, now, null)
              : existing.withDeployment(deployment.id(), existing.canary(), now);
      write(GatewayConfig.stageKey(stage), updated);
    }
    return deployment;
  }

  public DeploymentRecord deployment(String apiId, String id) {
    return config()
        .deployment(id)
        .filter(d -> d.apiId().equals(apiId))
        .orElseThrow(() -> AdminException.notFound("Deployment " + id + " of API " + apiId));
  }

  // ---- Stages

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
    if (!name.matches(STAGE_NAME)) {
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
    write(GatewayConfig.stageKey(name), stage);
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
    write(GatewayConfig.stageKey(name), updated);
    return updated;
  }

  /** Replaces a stage's settings (throttles, cache, IP policy), all checked first. */
  public StageRecord putStageSettings(String name, StageSettings settings) {
    StageRecord stage = stage(name);
    List<String> problems = new ArrayList<>();
    throttle("throttle", settings.throttle(), problems);
    settings
        .methodSettings()
        .forEach(
            (routeKey, m) -> {
              String where = "methodSettings." + routeKey;
              if (!routeKey.matches("(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY) /\\S*")) {
                problems.add("methodSettings: keys are \"METHOD /path\", was " + routeKey);
              }
              throttle(where + ".throttle", m.throttle(), problems);
              if (m.cacheTtlSeconds() != null
                  && (m.cacheTtlSeconds() < 0 || m.cacheTtlSeconds() > 3600)) {
                problems.add(where + ".cacheTtlSeconds: 0 to 3600");
              }
            });
    StageSettings.CacheSettings cache = settings.cache();
    if (cache != null) {
      if (cache.ttlSeconds() < 0 || cache.ttlSeconds() > 3600) {
        problems.add("cache.ttlSeconds: 0 to 3600");
      }
      if (cache.sizeBytes() < 1 || cache.sizeBytes() > MAX_CACHE_BYTES) {
        problems.add("cache.sizeBytes: 1 to " + MAX_CACHE_BYTES);
      }
      String unauthorized = cache.unauthorizedInvalidation();
      if (unauthorized != null
          && !unauthorized.equals("FAIL_WITH_403")
          && !unauthorized.equals("IGNORE")) {
        problems.add("cache.unauthorizedInvalidation: FAIL_WITH_403 or IGNORE");
      }
    }
    for (String cidr : settings.ipAllow()) {
      cidr("ipAllow", cidr, problems);
    }
    for (String cidr : settings.ipDeny()) {
      cidr("ipDeny", cidr, problems);
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    // A flush cannot be undone by writing back an older (or zero) flush time.
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
    write(GatewayConfig.stageKey(name), updated);
    return updated;
  }

  static void throttle(String where, ThrottleSettings t, List<String> problems) {
    if (t != null && (!(t.rateLimit() > 0) || t.burstLimit() < 1)) {
      problems.add(where + ": rateLimit > 0 and burstLimit >= 1");
    }
  }

  private static void cidr(String where, String cidr, List<String> problems) {
    try {
      Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
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
    write(GatewayConfig.stageKey(name), updated);
    return updated;
  }

  public void deleteStage(String name) {
    stage(name);
    write(GatewayConfig.stageKey(name), null);
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
    write(GatewayConfig.stageKey(name), updated);
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
    write(GatewayConfig.stageKey(name), promoted);
    return promoted;
  }

  public StageRecord deleteCanary(String name) {
    StageRecord stage = stage(name);
    if (stage.canary() == null) {
      throw AdminException.notFound("Canary of stage " + name);
    }
    StageRecord updated =
        stage.withDeployment(stage.deploymentId(), null, Instant.now().toString());
    write(GatewayConfig.stageKey(name), updated);
    return updated;
  }

  // ---- helpers

  private void checkStageName(String name) {
    if (!name.matches(STAGE_NAME)) {
      throw AdminException.invalid(
          List.of("stage name: must be 1-128 of A-Z a-z 0-9 _ -, was " + name));
    }
  }

  /** Stage names are gateway-wide: a stage serves one API. */
  private void checkStageApi(String stage, String apiId) {
    config()
        .stage(stage)
        .filter(s -> !s.apiId().equals(apiId))
        .ifPresent(
            s -> {
              throw new AdminException(
                  409, "Stage " + stage + " serves API " + s.apiId() + "; stage names are unique");
            });
  }

  private void checkDeployment(String apiId, String id, String field, List<String> problems) {
    if (id == null) {
      problems.add(field + ": required");
    } else if (config().deployment(id).filter(d -> d.apiId().equals(apiId)).isEmpty()) {
      problems.add(field + ": no deployment " + id + " of API " + apiId);
    }
  }

  private void write(String key, Object value) {
    writer.write(key, value);
  }

  public static String slug(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    return slug.length() > 64 ? slug.substring(0, 64) : slug;
  }

  /** A 10-character id like API Gateway's deployment ids. */
  private static String newId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
