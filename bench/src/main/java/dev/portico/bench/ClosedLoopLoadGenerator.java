package dev.portico.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Finds maximum throughput: each connection sends its next request as soon as the previous one
 * completes, so latencies are service times, not coordinated-omission corrected.
 */
public final class ClosedLoopLoadGenerator {
  private final Vertx vertx;
  private final HttpTarget target;
  private final LongFunction<BenchRequest> requests;

  public ClosedLoopLoadGenerator(
      Vertx vertx, HttpTarget target, LongFunction<BenchRequest> requests) {
    this.vertx = vertx;
    this.target = target;
    this.requests = requests;
  }

  /** Runs warm-up then measurement; the future completes when every in-flight request has ended. */
  public Future<LoadResult> run(String scenario, int warmupSeconds, int durationSeconds) {
    Promise<LoadResult> done = Promise.promise();
    // Single event loop for the same reason as the open-loop generator: lock-free recording.
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        ignored -> new Run(scenario, warmupSeconds, durationSeconds, done).start());
    return done.future();
  }

  /** The state of one run, confined to its event loop. */
  private final class Run {
    private final String scenario;
    private final long warmupNanos;
    private final long durationNanos;
    private final Promise<LoadResult> done;
    private final HttpClient client;
    private final LatencyRecorder recorder = new LatencyRecorder();
    private long measureStart;
    private long measureEnd;
    private long sent;
    private int activeWorkers;

    Run(String scenario, int warmupSeconds, int durationSeconds, Promise<LoadResult> done) {
      this.scenario = scenario;
      this.warmupNanos = TimeUnit.SECONDS.toNanos(warmupSeconds);
      this.durationNanos = TimeUnit.SECONDS.toNanos(durationSeconds);
      this.done = done;
      this.client = target.newClient(vertx);
    }

    void start() {
      measureStart = System.nanoTime() + warmupNanos;
      measureEnd = measureStart + durationNanos;
      // One worker per pooled connection keeps exactly `connections` requests in flight.
      activeWorkers = target.connections();
      for (int w = 0; w < target.connections(); w++) {
        next();
      }
    }

    private void next() {
      long start = System.nanoTime();
      if (start >= measureEnd) {
        if (--activeWorkers == 0) {
          finish();
        }
        return;
      }
      boolean measured = start >= measureStart;
      target
          .send(client, requests.apply(sent++))
          .onComplete(
              ar -> {
                long end = System.nanoTime();
                if (measured) {
                  if (ar.succeeded()) {
                    recorder.response(ar.result(), end - start, end);
                  } else {
                    recorder.error();
                  }
                }
                if (ar.succeeded()) {
                  next();
                } else {
                  // Back off a tick so a dead server does not turn the loop into a busy spin.
                  vertx.setTimer(1, id -> next());
                }
              });
    }

    private void finish() {
      LoadResult result =
          recorder.result(scenario, "max", target.connections(), measureStart, measureEnd, null);
      client.close().onComplete(ignored -> done.complete(result));
    }
  }
}
