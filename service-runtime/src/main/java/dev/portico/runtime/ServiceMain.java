package dev.portico.runtime;

import dev.portico.kit.client.KafkaSettingException;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as its own process: read config (a bad value, or Kafka refusing the credentials
 * or certificates at the first contact, exits 2 with the variable named), start (any other failed
 * start exits 1 at once), exit 1 when an essential loop stops with an error ({@link FailureWatch}),
 * and stop gracefully on SIGTERM/Ctrl-C (exit 0).
 *
 * <p>Everything here runs on the main or the stop thread, never on an event loop: a failed start
 * that exited from its event loop would block that loop in {@code System.exit} while the shutdown
 * hook waited for it. The service is stopped before Vert.x closes, so no Kafka client and no future
 * completes on an event loop that is already gone.
 */
public final class ServiceMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration VERTX_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private ServiceMain() {}

  public static void run(BiFunction<Vertx, ConfigReader, PorticoService> factory) {
    Vertx vertx = PorticoVertx.create();
    PorticoService service;
    try {
      ConfigReader env = ConfigReader.fromEnvironment();
      Logging.apply(env);
      service = factory.apply(vertx, env);
    } catch (ConfigException e) {
      LOG.error(e.getMessage());
      vertx.close();
      System.exit(2);
      return;
    }
    GracefulExit.install(service.name(), () -> stop(vertx, service));
    try {
      service.start().await();
    } catch (Exception e) {
      LOG.error("{} could not start: {}", service.name(), e.getMessage());
      // Kafka refused the settings: a configuration error like a bad value. The shutdown hook
      // stops what did start.
      System.exit(e instanceof KafkaSettingException ? 2 : 1);
      return;
    }
    try {
      String failure = FailureWatch.awaitFailure(List.of(service));
      LOG.error("{}; exiting with 1 so that the supervisor starts it again", failure);
      System.exit(1); // the shutdown hook stops what still runs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the service, then Vert.x; true when both finished in time. */
  private static boolean stop(Vertx vertx, PorticoService service) {
    boolean clean = true;
    try {
      service.stop().await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly: {}", service.name(), e.toString());
      clean = false;
    }
    try {
      vertx.close().await(VERTX_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      clean = false;
    }
    return clean;
  }
}
