package dev.portico.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Offers requests at a fixed rate regardless of how fast responses come back, and measures each
 * latency from the request's scheduled time (coordinated-omission correction).
 */
public final class OpenLoopLoadGenerator {
  // 1 ms ticks: fine enough for rates in the thousands, coarse enough not to spin the event loop.
  private static final long TICK_MILLIS = 1;
  // After the last scheduled send, outstanding requests get this long before counting as errors.
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Vertx vertx;
  private final HttpTarget target;
  private final LongFunction<BenchRequest> requests;

  /**
   * @param requests request number n; called on the event loop, so it must be cheap
   */
  public OpenLoopLoadGenerator(
      Vertx vertx, HttpTarget target, LongFunction<BenchRequest> requests) {
    this.vertx = vertx;
    this.target = target;
    this.requests = requests;
  }

  /** Runs warm-up then measurement at {@code rate} req/s; the future completes after draining. */
  public Future<LoadResult> run(String scenario, int rate, int warmupSeconds, int durationSeconds) {
    if (rate <= 0 || durationSeconds <= 0 || warmupSeconds < 0) {
      throw new IllegalArgumentException(
          "rate and duration must be positive, warm-up not negative");
    }
    Promise<LoadResult> done = Promise.promise();
    // One context: the timer, every send and every response callback share one event loop, so the
    // non-thread-safe histogram and counters need no locking.
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        ignored -> new Run(scenario, rate, warmupSeconds, durationSeconds, done).start());
    return done.future();
  }

  /** The state of one rate's run, confined to its event loop. */
  private final class Run {
    private final String scenario;
    private final int rate;
    private final long warmupRequests;
    private final long totalRequests;
    private final long durationNanos;
    private final Promise<LoadResult> done;
    private final HttpClient client;
    private final LatencyRecorder recorder = new LatencyRecorder();
    private CpuUse.Sample cpuAtMeasureStart;
    private CpuUse.Sample cpuAtLastSend;
    private long t0;
    private long next;
    private long outstanding;
    private long timerId;
    private boolean finished;

    Run(
        String scenario,
        int rate,
        int warmupSeconds,
        int durationSeconds,
        Promise<LoadResult> done) {
      this.scenario = scenario;
      this.rate = rate;
      this.warmupRequests = (long) rate * warmupSeconds;
      this.totalRequests = warmupRequests + (long) rate * durationSeconds;
      this.durationNanos = TimeUnit.SECONDS.toNanos(durationSeconds);
      this.done = done;
      this.client = target.newClient(vertx);
    }

    void start() {
      t0 = System.nanoTime();
      timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    /**
     * Request i is due at t0 + i/R; computed from i rather than accumulated, so it never drifts.
     */
    private long scheduledAt(long i) {
      return t0 + i * 1_000_000_000L / rate;
    }

    private long measureStart() {
      return scheduledAt(warmupRequests);
    }

    private void tick() {
      long now = System.nanoTime();
      // Send every request whose time has come, even a large backlog after a pause: skipping them
      // would be exactly the coordinated omission this generator exists to avoid.
      while (next < totalRequests && scheduledAt(next) <= now) {
        if (next == warmupRequests) {
          // Twice a run, not per request: /proc/stat is a kernel-generated file, read without disk.
          cpuAtMeasureStart = CpuUse.sample();
        }
        send(next++);
      }
      if (next == totalRequests) {
        cpuAtLastSend = CpuUse.sample();
        vertx.cancelTimer(timerId);
        vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(DRAIN_NANOS), id -> finish());
        maybeFinish();
      }
    }

    private void send(long i) {
      long scheduled = scheduledAt(i);
      boolean measured = i >= warmupRequests;
      outstanding++;
      target
          .send(client, requests.apply(i))
          .onComplete(
              ar -> {
                long end = System.nanoTime();
                outstanding--;
                if (finished) {
                  return;
                }
                if (measured) {
                  if (ar.succeeded()) {
                    recorder.response(ar.result(), end - scheduled, end);
                  } else {
                    recorder.error();
                  }
                }
                maybeFinish();
              });
    }

    private void maybeFinish() {
      if (next == totalRequests && outstanding == 0) {
        finish();
      }
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      // Warm-up stragglers cannot be told apart here; any leftover after the drain counts as lost.
      recorder.unfinished(outstanding);
      long measureStart = measureStart();
      LoadResult result =
          recorder.result(
              scenario,
              Integer.toString(rate),
              target.connections(),
              measureStart,
              measureStart + durationNanos,
              CpuUse.between(cpuAtMeasureStart, cpuAtLastSend));
      client.close().onComplete(ignored -> done.complete(result));
    }
  }
}
