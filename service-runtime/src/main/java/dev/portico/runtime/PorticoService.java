package dev.portico.runtime;

import io.vertx.core.Future;

/**
 * A Portico service as the launcher and its own {@code main} see it: start it, ask whether it is
 * ready, stop it gracefully (finish in-flight work, commit, close).
 */
public interface PorticoService {
  String name();

  Future<Void> start();

  /** True once Kafka is reachable and the service's own start-up is done. */
  boolean isReady();

  Future<Void> stop();

  /** The URLs a person would open, for the launcher's banner. */
  default java.util.List<String> urls() {
    return java.util.List.of();
  }
}
