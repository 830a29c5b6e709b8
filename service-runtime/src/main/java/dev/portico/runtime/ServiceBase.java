package dev.portico.runtime;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton every service shares: its ops server goes up first (so {@code /health} answers
 * during start-up), then the service's own start-up; {@code /ready} turns true only when both are
 * done and Kafka is reachable. Stop runs in reverse.
 */
public abstract class ServiceBase implements PorticoService {
  protected final Logger log = LoggerFactory.getLogger(getClass());
  protected final Vertx vertx;
  protected final KafkaSettings kafka;
  protected final PrometheusMeterRegistry registry;
  protected final OpsServer ops;
  private final String name;
  private KafkaReachability reachability;
  private volatile boolean started;

  protected ServiceBase(String name, Vertx vertx, KafkaSettings kafka, HttpEndpoint opsEndpoint) {
    this.name = name;
    this.vertx = vertx;
    this.kafka = kafka;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", name);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.ops = new OpsServer(vertx, opsEndpoint, name, registry, this::isReady, this::failure);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Future<Void> start() {
    log.info("{} starting", name);
    reachability = new KafkaReachability(vertx, kafka, name, 2_000);
    return ops.start()
        // A refused password or certificate stops start-up here, naming the setting.
        .compose(v -> vertx.executeBlocking(() -> verifyKafkaAccess()))
        .compose(v -> startService())
        .onSuccess(
            v -> {
              started = true;
              log.info(
                  "{} started; ops on {}",
                  name,
                  new HttpEndpoint(ops.endpoint().host(), ops.actualPort()).url(""));
            })
        .onFailure(e -> log.error("{} failed to start: {}", name, e.getMessage(), e));
  }

  private Void verifyKafkaAccess() {
    kafka.verifyAccess("portico-" + name);
    return null;
  }

  /** The service's own start-up: connect, restore, listen. */
  protected abstract Future<Void> startService();

  /** Finish in-flight work, commit and close. */
  protected abstract Future<Void> stopService();

  /** The service's own readiness beyond Kafka reachability (e.g. a Streams app RUNNING). */
  protected boolean serviceReady() {
    return true;
  }

  /**
   * The service's essential loops that stopped with an error, as {@link #stopped}; empty while they
   * run. See {@link PorticoService#failure()}.
   */
  protected Optional<String> serviceFailure() {
    return Optional.empty();
  }

  /**
   * Only between a completed start and the stop: a failed start is reported by {@link #start()},
   * and loops ending while the service stops are no failure (the process must exit 0 then).
   */
  @Override
  public final Optional<String> failure() {
    return started ? serviceFailure() : Optional.empty();
  }

  /**
   * {@code "<loop> stopped: <error>"} when {@code failure} (a loop's error) is set, else empty.
   *
   * @param loop what stopped, e.g. "the command loop"
   */
  protected static Optional<String> stopped(String loop, Throwable failure) {
    return failure == null ? Optional.empty() : Optional.of(loop + " stopped: " + failure);
  }

  @Override
  public final boolean isReady() {
    return started && reachability.isReachable() && serviceReady();
  }

  @Override
  public List<String> urls() {
    List<String> urls = new ArrayList<>();
    urls.add(name + ": " + new HttpEndpoint(ops.endpoint().host(), ops.actualPort()).url("/ready"));
    return urls;
  }

  /**
   * Closes each part in order on a worker (closing Kafka clients blocks), skipping parts that were
   * never created because start-up stopped before them.
   */
  protected final Future<Void> closeInOrder(AutoCloseable... parts) {
    return vertx.executeBlocking(
        () -> {
          for (AutoCloseable part : parts) {
            if (part != null) {
              part.close();
            }
          }
          return null;
        });
  }

  @Override
  public final Future<Void> stop() {
    started = false;
    log.info("{} stopping", name);
    return stopService()
        .eventually(ops::stop)
        .eventually(() -> closeInOrder(reachability, registry::close))
        .onSuccess(v -> log.info("{} stopped", name));
  }
}
