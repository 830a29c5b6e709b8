package dev.portico.edge.admin;

import dev.portico.contracts.Json;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.contracts.edge.DeploymentRecord;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.edge.api.ApiExporter;
import dev.portico.edge.api.ApiImporter;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.GatewayConfig;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The admin operations on APIs and deployments, and (through {@link #stages()}) on the stages that
 * serve them: validates against the config this replica has applied, then writes one record per
 * change to the config topic and returns once this replica applied it. Blocking; callers run it off
 * the event loop.
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
  private final StageAdmin stages;

  public GatewayAdmin(ConfigTopic topic, ApiImporter importer) {
    this.topic = topic;
    this.importer = importer;
    this.writer = new ConfigWriter(topic);
    this.stages = new StageAdmin(topic, writer);
  }

  public GatewayConfig config() {
    return topic.current();
  }

  public StageAdmin stages() {
    return stages;
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
    writer.write(GatewayConfig.apiKey(apiId), record);
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
    List<String> serving = config().stagesOf(id).stream().map(StageRecord::name).toList();
    if (!serving.isEmpty()) {
      throw new AdminException(
          409, "API " + id + " is served by stages " + serving + "; delete them first");
    }
    for (DeploymentRecord d : config().deploymentsOf(id)) {
      writer.write(GatewayConfig.deploymentKey(d.id()), null);
    }
    writer.write(GatewayConfig.apiKey(id), null);
  }

  // ---- Deployments

  /** Snapshots the API's current document; with {@code stage}, points that stage at it too. */
  public DeploymentRecord deploy(String apiId, String description, String stage) {
    ApiRecord api = api(apiId);
    if (stage != null) {
      stages.checkCanServe(stage, apiId);
    }
    DeploymentRecord deployment =
        new DeploymentRecord(
            newId(),
            apiId,
            Instant.now().toString(),
            description == null ? "" : description,
            api.document());
    writer.write(GatewayConfig.deploymentKey(deployment.id()), deployment);
    if (stage != null) {
      stages.point(stage, apiId, deployment.id());
    }
    return deployment;
  }

  public DeploymentRecord deployment(String apiId, String id) {
    return config()
        .deployment(id)
        .filter(d -> d.apiId().equals(apiId))
        .orElseThrow(() -> AdminException.notFound("Deployment " + id + " of API " + apiId));
  }

  // ---- helpers

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
