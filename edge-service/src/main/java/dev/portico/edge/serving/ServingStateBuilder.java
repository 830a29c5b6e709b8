package dev.portico.edge.serving;

import dev.portico.contracts.Json;
import dev.portico.contracts.edge.CanarySettings;
import dev.portico.contracts.edge.DeploymentRecord;
import dev.portico.contracts.edge.StageRecord;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.config.GatewayConfig;
import dev.portico.edge.policy.Cidr;
import dev.portico.edge.policy.IpPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link GatewayConfig} into the {@link ServingState} the data plane routes by. Each
 * deployment is parsed once (deployments never change); a stage whose deployment is missing or
 * unreadable is left out, and logged, rather than failing the whole gateway.
 */
public final class ServingStateBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ServingStateBuilder.class);
  private final OpenApiReader reader;
  private final Map<String, ApiDefinition> parsed = new ConcurrentHashMap<>();

  public ServingStateBuilder(OpenApiReader reader) {
    this.reader = reader;
  }

  public ServingState build(GatewayConfig config) {
    Map<String, ServingStage> stages = new HashMap<>();
    for (StageRecord stage : config.stages().values()) {
      Release main = release(config, stage, stage.deploymentId(), stage.variables(), false, true);
      if (main == null) {
        continue;
      }
      CanarySettings canary = stage.canary();
      Release canaryRelease = null;
      if (canary != null) {
        Map<String, String> variables = new HashMap<>(stage.variables());
        variables.putAll(canary.stageVariableOverrides());
        canaryRelease =
            release(config, stage, canary.deploymentId(), variables, true, canary.useStageCache());
      }
      stages.put(
          stage.name(),
          new ServingStage(main, canaryRelease, canary == null ? 0 : canary.percentTraffic()));
    }
    parsed.keySet().retainAll(config.deployments().keySet());
    return new ServingState(stages, ApiKeyIndex.of(config));
  }

  private Release release(
      GatewayConfig config,
      StageRecord stage,
      String deploymentId,
      Map<String, String> variables,
      boolean canary,
      boolean usesStageCache) {
    DeploymentRecord deployment = config.deployments().get(deploymentId);
    if (deployment == null) {
      LOG.warn("Stage {} names deployment {}, which does not exist", stage.name(), deploymentId);
      return null;
    }
    ApiDefinition api = parsed.computeIfAbsent(deploymentId, id -> parse(deployment));
    return api == null
        ? null
        : Release.of(
            stage.apiId(),
            stage.name(),
            deploymentId,
            api,
            variables,
            canary,
            usesStageCache,
            stage.settings(),
            stageIpPolicy(stage));
  }

  /** The admin API validates the blocks; should one still not parse, the stage fails closed. */
  private static IpPolicy stageIpPolicy(StageRecord stage) {
    try {
      return new IpPolicy(
          stage.settings().ipAllow().stream().map(Cidr::parse).toList(),
          stage.settings().ipDeny().stream().map(Cidr::parse).toList());
    } catch (IllegalArgumentException e) {
      LOG.error("Stage {} has an unreadable IP policy; denying every address", stage.name());
      return new IpPolicy(List.of(), List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));
    }
  }

  private ApiDefinition parse(DeploymentRecord deployment) {
    try {
      return reader.read(Json.MAPPER.readTree(deployment.document()));
    } catch (InvalidApiException | java.io.IOException e) {
      LOG.error("Deployment {} cannot be served: {}", deployment.id(), e.getMessage());
      return null;
    }
  }
}
