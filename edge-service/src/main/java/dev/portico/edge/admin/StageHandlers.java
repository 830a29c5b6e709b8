package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.edge.CanarySettings;
import dev.portico.contracts.edge.StageRecord;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /stages}: create or replace a stage (PUT), change some of it (PATCH: a rollback is a new
 * {@code deploymentId}), delete it, and its canary (put, promote, delete). A stage is shown as its
 * record.
 */
final class StageHandlers {
  private final GatewayAdmin admin;
  private final StageAdmin stages;

  StageHandlers(GatewayAdmin admin) {
    this.admin = admin;
    this.stages = admin.stages();
  }

  List<StageRecord> list(AdminRequest request) {
    return admin.config().stages().values().stream()
        .sorted(Comparator.comparing(StageRecord::name))
        .toList();
  }

  StageRecord get(AdminRequest request) {
    return stages.stage(request.path("stage"));
  }

  /** Body: {@code {"apiId", "deploymentId", "description"?, "variables"?}}. */
  StageRecord put(AdminRequest request) {
    JsonFields body = request.body().object();
    return stages.putStage(
        request.path("stage"),
        body.text("apiId"),
        body.text("deploymentId"),
        body.text("description"),
        body.strings("variables", false));
  }

  /** Body: any of {@code deploymentId}, {@code description}, {@code variables} (null removes). */
  StageRecord patch(AdminRequest request) {
    JsonFields body = request.body().object();
    return stages.patchStage(
        request.path("stage"),
        body.text("deploymentId"),
        body.text("description"),
        body.has("variables") ? body.strings("variables", true) : null);
  }

  void delete(AdminRequest request) {
    stages.deleteStage(request.path("stage"));
  }

  StageRecord putCanary(AdminRequest request) {
    return stages.putCanary(request.path("stage"), canary(request.body().object()));
  }

  StageRecord promoteCanary(AdminRequest request) {
    return stages.promoteCanary(request.path("stage"));
  }

  StageRecord deleteCanary(AdminRequest request) {
    return stages.deleteCanary(request.path("stage"));
  }

  /**
   * Body: {@code {"percentTraffic", "deploymentId", "stageVariableOverrides"?, "useStageCache"?}}.
   */
  static CanarySettings canary(JsonFields body) {
    JsonNode percent = body.get("percentTraffic");
    if (percent == null || !percent.isNumber()) {
      throw AdminException.invalid(List.of("percentTraffic: required, a number 0 to 100"));
    }
    JsonNode useStageCache = body.get("useStageCache");
    return new CanarySettings(
        percent.asDouble(),
        body.text("deploymentId"),
        body.strings("stageVariableOverrides", false),
        useStageCache != null && useStageCache.asBoolean(false));
  }
}
