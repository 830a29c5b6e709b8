package dev.portico.edge.serving;

import java.util.Map;

/**
 * What the data plane serves, by stage name. Immutable and swapped whole on each configuration
 * change, so a request sees either the old or the new deployment, never a mix.
 */
public record ServingState(Map<String, ServingStage> stages, ApiKeyIndex apiKeys) {
  public static final ServingState EMPTY = new ServingState(Map.of(), ApiKeyIndex.EMPTY);

  public ServingState {
    stages = Map.copyOf(stages);
  }

  public ServingStage stage(String name) {
    return stages.get(name);
  }
}
