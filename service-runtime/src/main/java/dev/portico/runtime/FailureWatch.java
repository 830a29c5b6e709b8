package dev.portico.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a service that can no longer do its job ({@link PorticoService#failure()}) into a process
 * that ends: a loop that stopped with an error is not started again inside the process (its
 * clients, state and group membership are gone with it), so the honest thing is to exit non-zero
 * and let the supervisor (compose's {@code restart:}, Kubernetes, systemd) start a fresh process on
 * the same state. The same as Kafka Streams' {@code SHUTDOWN_CLIENT} with an orchestrator's
 * restart, which is what its users expect.
 */
public final class FailureWatch {
  /** How often the services are asked: a failure is rare, and a second is far below a restart. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private FailureWatch() {}

  /**
   * Waits until one of {@code services} reports a failure and returns it as {@code "<service>:
   * <reason>"}.
   */
  public static String awaitFailure(List<? extends PorticoService> services)
      throws InterruptedException {
    while (true) {
      for (PorticoService service : services) {
        Optional<String> failure = service.failure();
        if (failure.isPresent()) {
          return service.name() + ": " + failure.get();
        }
      }
      Thread.sleep(INTERVAL.toMillis()); // polling local flags, not waiting on a test
    }
  }
}
