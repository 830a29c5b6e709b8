package dev.portico.edge.serving;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A stage as the data plane sees it: its main release and, when a canary is set, the canary release
 * with the share of traffic it gets.
 */
public record ServingStage(Release main, Release canary, double canaryPercent) {

  /** Picks the release for one request: the canary with probability {@code canaryPercent}. */
  public Release pick() {
    if (canary == null || canaryPercent <= 0) {
      return main;
    }
    if (canaryPercent >= 100) {
      return canary;
    }
    return ThreadLocalRandom.current().nextDouble(100) < canaryPercent ? canary : main;
  }
}
