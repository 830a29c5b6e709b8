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

  /**
   * Why the service can no longer do its job: an essential loop (its Kafka Streams application, its
   * transactional or consumer loop) stopped with an error, and nothing in the process starts it
   * again. Empty while the service works (or is still starting). {@code /health} then answers 503
   * DOWN with the reason, and the process exits 1 ({@link FailureWatch}) so that whatever
   * supervises it (the launcher's supervisor, compose's {@code restart:}, Kubernetes) starts it
   * anew.
   */
  default java.util.Optional<String> failure() {
    return java.util.Optional.empty();
  }

  /** The URLs a person would open, for the launcher's banner. */
  default java.util.List<String> urls() {
    return java.util.List.of();
  }
}
