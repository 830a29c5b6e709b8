package dev.portico.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Many WebSocket clients in one JVM: opens them at a fixed rate (spread over the client's event
 * loops), optionally subscribes each to a channel ({@code {"action":"subscribe","channel":...}}),
 * and measures every frame that carries a {@code "bench_t":<nanos>} field: its latency is {@code
 * System.nanoTime()} at receipt minus that scheduled send time (CLOCK_MONOTONIC, so comparable with
 * the publisher in the same JVM). Frames are scanned as bytes, never decoded into JSON, to keep the
 * receivers cheap.
 */
final class WsClients implements AutoCloseable {
  private static final byte[] STAMP_KEY = "\"bench_t\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUBSCRIBED =
      "\"type\":\"subscribed\"".getBytes(StandardCharsets.US_ASCII);

  private final Vertx vertx;
  private final WebSocketClient client;
  private final Context[] contexts;
  private final Queue<WebSocket> sockets = new ConcurrentLinkedQueue<>();

  final LongAdder opened = new LongAdder();
  final LongAdder subscribed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder frames = new LongAdder();
  final LongAdder stamped = new LongAdder();
  final LongAdder measured = new LongAdder();
  final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

  /** Latencies in microseconds of the stamped frames scheduled at or after {@link #measureFrom}. */
  final Histogram micros = new ConcurrentHistogram(3);

  private volatile long measureFrom = Long.MAX_VALUE;

  WsClients(int loops, int maxConnections) {
    this.vertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                // Vert.x allows 50 WebSocket connections per server by default.
                .setMaxConnections(maxConnections)
                .setConnectTimeout(30_000));
    // Each context made from a non-Vert.x thread lands on the next event loop: one per loop.
    this.contexts = new Context[loops];
    for (int i = 0; i < loops; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
  }

  Vertx vertx() {
    return vertx;
  }

  Context context(int i) {
    return contexts[Math.floorMod(i, contexts.length)];
  }

  /** Frames stamped at or after this {@code nanoTime} are measured. */
  void measureFrom(long nanos) {
    measureFrom = nanos;
  }

  /**
   * Opens {@code count} connections to {@code url} (ws://host:port/path), connection i at {@code t0
   * + i / rate}; subscribes each to {@code channel} unless it is null. Blocks until every attempt
   * has an outcome (and every subscription its answer) or {@code timeoutSeconds} passed.
   */
  void open(URI url, int count, int rate, String channel, int timeoutSeconds) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(url.getHost())
            .setPort(url.getPort())
            .setURI(
                url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    String subscribe =
        channel == null ? null : "{\"action\":\"subscribe\",\"channel\":\"" + channel + "\"}";
    long start = System.nanoTime();
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    for (int i = 0; i < count; i++) {
      parkUntil(start + i * period);
      context(i).runOnContext(v -> connect(options, subscribe));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      long done = opened.sum() + failed.sum();
      long answered = channel == null ? opened.sum() : subscribed.sum();
      if (done >= count && answered >= opened.sum()) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private void connect(WebSocketConnectOptions options, String subscribe) {
    client
        .connect(options)
        .onSuccess(
            ws -> {
              sockets.add(ws);
              opened.increment();
              ws.handler(this::onFrame);
              ws.exceptionHandler(e -> {});
              ws.closeHandler(
                  v -> {
                    Short code = ws.closeStatusCode();
                    closes
                        .computeIfAbsent(code == null ? -1 : (int) code, k -> new LongAdder())
                        .increment();
                  });
              if (subscribe != null) {
                ws.writeTextMessage(subscribe);
              }
            })
        .onFailure(
            e -> {
              failed.increment();
              String reason = String.valueOf(e.getMessage());
              failures
                  .computeIfAbsent(
                      reason.length() > 80 ? reason.substring(0, 80) : reason, k -> new LongAdder())
                  .increment();
            });
  }

  private void onFrame(Buffer frame) {
    long now = System.nanoTime();
    frames.increment();
    int at = indexOf(frame, STAMP_KEY, 0);
    if (at < 0) {
      if (indexOf(frame, SUBSCRIBED, 0) >= 0) {
        subscribed.increment();
      }
      return;
    }
    stamped.increment();
    long sent = number(frame, at + STAMP_KEY.length);
    if (sent >= measureFrom) {
      measured.increment();
      micros.recordValue(Math.max(0, (now - sent) / 1_000));
    }
  }

  /** The first integer after {@code from}: {@code :123}, {@code :{"N":"123"}} and so on. */
  static long number(Buffer b, int from) {
    int i = from;
    int n = b.length();
    while (i < n && (b.getByte(i) < '0' || b.getByte(i) > '9')) {
      i++;
    }
    long value = 0;
    while (i < n && b.getByte(i) >= '0' && b.getByte(i) <= '9') {
      value = value * 10 + (b.getByte(i) - '0');
      i++;
    }
    return value;
  }

  static int indexOf(Buffer b, byte[] needle, int from) {
    int last = b.length() - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  int open() {
    int n = 0;
    for (WebSocket ws : sockets) {
      if (!ws.isClosed()) {
        n++;
      }
    }
    return n;
  }

  /** e.g. {@code 1013=3 1006=1}, or {@code none}. */
  String closeSummary() {
    if (closes.isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    new TreeMap<>(closes)
        .forEach((code, n) -> s.append(code).append('=').append(n.sum()).append(','));
    return s.substring(0, s.length() - 1);
  }

  String failureSummary() {
    if (failures.isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    failures.forEach((reason, n) -> s.append('[').append(reason).append("]x").append(n.sum()));
    return s.toString();
  }

  static void parkUntil(long nanos) {
    long wait;
    while ((wait = nanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  @Override
  public void close() {
    Bench.await(vertx.close());
  }
}
