package dev.portico.runtime;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as its own process: read config (a bad value exits 2 with the variable named),
 * start, and stop gracefully on SIGTERM/Ctrl-C.
 */
public final class ServiceMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private ServiceMain() {}

  public static void run(BiFunction<Vertx, ConfigReader, PorticoService> factory) {
    Vertx vertx = Vertx.vertx();
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
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(vertx, service), service.name() + "-shutdown"));
    service
        .start()
        .onFailure(
            e -> {
              LOG.error("{} could not start: {}", service.name(), e.getMessage());
              System.exit(1);
            });
  }

  private static void stop(Vertx vertx, PorticoService service) {
    try {
      service
          .stop()
          .eventually(vertx::close)
          .await(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly: {}", service.name(), e.getMessage());
    }
  }
}
