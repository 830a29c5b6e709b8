package dev.portico.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/** Runs load series from the command thread on a dedicated client Vert.x instance. */
final class Bench implements AutoCloseable {
  // The generators confine themselves to one context, so one event loop is all the client needs.
  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));

  /** One open-loop run per rate; {@code workload} gives each rate its own request sequence. */
  void openLoop(
      String scenario,
      IntFunction<LongFunction<BenchRequest>> workload,
      List<Integer> rates,
      LoadOptions options)
      throws InterruptedException {
    Reporter reporter = new Reporter(options.markdown);
    HttpTarget target = new HttpTarget(options.connections);
    for (int rate : rates) {
      OpenLoopLoadGenerator generator =
          new OpenLoopLoadGenerator(vertx, target, workload.apply(rate));
      reporter.print(
          await(generator.run(scenario, rate, options.warmupSeconds, options.durationSeconds)));
      // A short pause so the previous run's backlog (e.g. Kafka flushes) does not bleed into the
      // next.
      Thread.sleep(1_000);
    }
  }

  /** One closed-loop run at maximum throughput. */
  void closedLoop(String scenario, LongFunction<BenchRequest> workload, LoadOptions options) {
    HttpTarget target = new HttpTarget(options.connections);
    ClosedLoopLoadGenerator generator = new ClosedLoopLoadGenerator(vertx, target, workload);
    new Reporter(options.markdown)
        .print(await(generator.run(scenario, options.warmupSeconds, options.durationSeconds)));
  }

  /** Blocks the (non-Vert.x) command thread until the future completes. */
  static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
