package dev.portico.contracts.edge;

import dev.portico.contracts.TopicCodec;
import java.util.Map;

/**
 * A record of the gateway configuration topic ({@code edge.config}); the key's prefix says which:
 * {@code api/}, {@code deployment/}, {@code stage/}, {@code apikey/} or {@code usageplan/}, then
 * the entity's id.
 */
public sealed interface GatewayEntity
    permits ApiRecord, DeploymentRecord, StageRecord, ApiKeyRecord, UsagePlanRecord {

  /** Reads a value by its key's prefix. */
  TopicCodec<GatewayEntity> CODEC =
      TopicCodec.byKeyPrefix(
          Map.of(
              "api/", ApiRecord.class,
              "deployment/", DeploymentRecord.class,
              "stage/", StageRecord.class,
              "apikey/", ApiKeyRecord.class,
              "usageplan/", UsagePlanRecord.class));
}
