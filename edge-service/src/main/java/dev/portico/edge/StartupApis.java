package dev.portico.edge;

import dev.portico.contracts.Json;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.contracts.edge.DeploymentRecord;
import dev.portico.contracts.edge.GatewayEntity;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.edge.api.ApiImporter;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports and deploys the start-up API documents, idempotently, so that replicas starting together
 * or a restart write nothing new: the API id is the slugged title and the deployment id a hash of
 * the document. A stage is created when missing, and moved to a changed start-up document only when
 * it still serves an earlier start-up deployment; a stage an admin has re-pointed is left alone.
 */
final class StartupApis {
  private static final Logger LOG = LoggerFactory.getLogger(StartupApis.class);
  static final String DESCRIPTION = "start-up document ";

  private StartupApis() {}

  static void apply(
      ConfigTopic topic, ApiImporter importer, String source, byte[] bytes, List<String> stages)
      throws Exception {
    ApiImporter.Imported imported = importer.importDocument(bytes);
    String document = Json.toString(imported.document());
    String apiId = dev.portico.edge.admin.GatewayAdmin.slug(imported.definition().name());
    String deploymentId = hash(document);
    GatewayConfig config = topic.current();
    String now = Instant.now().toString();
    if (config.api(apiId).map(a -> !a.document().equals(document)).orElse(true)) {
      write(
          topic,
          GatewayConfig.apiKey(apiId),
          new ApiRecord(apiId, imported.definition().name(), document, now, imported.warnings()));
    }
    if (config.deployment(deploymentId).isEmpty()) {
      write(
          topic,
          GatewayConfig.deploymentKey(deploymentId),
          new DeploymentRecord(deploymentId, apiId, now, DESCRIPTION + source, document));
    }
    for (String name : stages) {
      GatewayConfig current = topic.current();
      StageRecord stage = current.stage(name).orElse(null);
      if (stage == null) {
        write(
            topic,
            GatewayConfig.stageKey(name),
            new StageRecord(name, apiId, deploymentId, "", Map.of(), null, now, now, null));
      } else if (stage.apiId().equals(apiId)
          && !stage.deploymentId().equals(deploymentId)
          && current
              .deployment(stage.deploymentId())
              .map(d -> d.description().startsWith(DESCRIPTION))
              .orElse(true)) {
        write(
            topic,
            GatewayConfig.stageKey(name),
            stage.withDeployment(deploymentId, stage.canary(), now));
      } else if (!stage.deploymentId().equals(deploymentId)) {
        LOG.info(
            "Stage {} keeps deployment {} of API {}; the start-up document {} is not deployed to it",
            name,
            stage.deploymentId(),
            stage.apiId(),
            source);
      }
    }
  }

  private static void write(ConfigTopic topic, String key, GatewayEntity value) throws Exception {
    topic.write(key, value).get(30, TimeUnit.SECONDS);
  }

  private static String hash(String document) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
