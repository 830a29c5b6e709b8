package dev.portico.edge.admin;

import dev.portico.contracts.edge.StageRecord;
import dev.portico.contracts.edge.StageSettings;

/**
 * {@code /stages/{stage}/settings} and {@code /stages/{stage}/cache}: replace a stage's throttles,
 * response cache and IP policy (the body is {@link StageSettings}, read strictly: an unknown field
 * is a 400), and flush its cache on every replica.
 */
final class StageSettingsHandlers {
  private final StageAdmin stages;

  StageSettingsHandlers(StageAdmin stages) {
    this.stages = stages;
  }

  StageRecord put(AdminRequest request) {
    return stages.putStageSettings(request.path("stage"), request.body().as(StageSettings.class));
  }

  StageRecord flushCache(AdminRequest request) {
    return stages.flushCache(request.path("stage"));
  }
}
