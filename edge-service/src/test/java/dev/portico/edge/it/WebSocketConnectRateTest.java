package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.internal.VertxInternal;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code PORTICO_EDGE_WS_CONNECT_RATE} with real upgrades on sockets, at a small rate (100/s) so
 * that it runs fast: clients that keep under the rate are all admitted, even when the edge pauses
 * as a GC or a busy core makes it (their upgrades then reach it together); clients over the rate
 * get the rate and 429 for the rest.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class WebSocketConnectRateTest {
  static final int RATE = 100;

  Edge edge;
  ExecutorService clients;

  @BeforeEach
  void start(TestKafka kafka) {
    edge =
        new Edge(kafka, kafka.freshPrefix())
            .with("PORTICO_EDGE_WS_CONNECT_RATE", Integer.toString(RATE))
            .start();
    clients = Executors.newFixedThreadPool(64);
  }

  @AfterEach
  void stop() {
    clients.shutdownNow();
    edge.close();
  }

  /** Tallies of one run. */
  static final class Tally {
    final AtomicInteger admitted = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    /** When the latest refused upgrade was sent: the bucket was empty after that. */
    final java.util.concurrent.atomic.AtomicLong lastRefusedSentAt =
        new java.util.concurrent.atomic.AtomicLong();

    final List<String> other = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  /** Opens one WebSocket on the bundled API's prod stage and closes it; counts the answer. */
  void upgrade(Tally tally) {
    long sent = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", edge.service.dataPort())) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("GET /prod HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                      + "sec-websocket-version: 13\r\n"
                      + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      String status = line.length() >= 12 ? line.substring(9, 12) : line.toString();
      switch (status) {
        case "101" -> tally.admitted.incrementAndGet();
        case "429" -> {
          tally.refused.incrementAndGet();
          tally.lastRefusedSentAt.accumulateAndGet(sent, Math::max);
        }
        default -> tally.other.add(status);
      }
    } catch (Exception e) {
      tally.other.add(e.toString());
    }
  }

  /**
   * Starts {@code count} upgrades at {@code perSecond}, on schedule whatever the answers take; each
   * of {@code actions} runs once when its second (the key) has passed. Returns when all are
   * answered.
   */
  Tally open(int count, double perSecond, Map<Double, Runnable> actions) throws Exception {
    Tally tally = new Tally();
    List<Future<?>> started = new ArrayList<>();
    long start = System.nanoTime();
    var pending = new java.util.TreeMap<>(actions).entrySet().iterator();
    var next = pending.hasNext() ? pending.next() : null;
    for (int i = 0; i < count; i++) {
      long due = start + (long) (i * 1e9 / perSecond);
      while (next != null && due - start >= next.getKey() * 1e9) {
        next.getValue().run();
        next = pending.hasNext() ? pending.next() : null;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait); // the client's own schedule, not a wait for the edge
      }
      started.add(clients.submit(() -> upgrade(tally)));
    }
    while (next != null) {
      next.getValue().run();
      next = pending.hasNext() ? pending.next() : null;
    }
    for (Future<?> f : started) {
      f.get(1, TimeUnit.MINUTES);
    }
    return tally;
  }

  /**
   * Blocks every event loop of the edge until the returned latch opens: what a GC pause or a core
   * busy with something else does to it, so that upgrades sent on schedule meanwhile reach it
   * together.
   */
  CountDownLatch pauseEdge() {
    CountDownLatch resume = new CountDownLatch(1);
    for (var loop : ((VertxInternal) edge.vertx).nettyEventLoopGroup()) {
      loop.execute(
          () -> {
            try {
              resume.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    return resume;
  }

  @Test
  void shouldAdmitEveryClientAtNinetyPercentOfTheRateThroughAPauseOfTheEdge() throws Exception {
    // The edge stalls from the 1.5th to the 3rd second of the schedule; the upgrades sent meanwhile
    // queue up and reach it together when it resumes.
    var resume = new java.util.concurrent.atomic.AtomicReference<CountDownLatch>();
    Tally tally =
        open(
            4 * RATE * 9 / 10,
            RATE * 0.9,
            Map.of(1.5, () -> resume.set(pauseEdge()), 3.0, () -> resume.get().countDown()));
    assertEquals(List.of(), tally.other);
    assertEquals(0, tally.refused.get(), "refused at 90% of the rate");
    assertEquals(4 * RATE * 9 / 10, tally.admitted.get());
  }

  @Test
  void shouldAdmitTheRateAndRefuseTheRestAtOneHundredTenPercent() throws Exception {
    // Empty the bucket first (its burst), so that what follows meets the rate alone.
    Tally burst = open(4 * RATE, 10_000, Map.of());
    assertTrue(burst.refused.get() > 0, "the burst was not limited: " + burst.admitted);
    Tally tally = open(5 * RATE * 11 / 10, RATE * 1.1, Map.of());
    // The bucket was empty when the burst's last refused upgrade reached the edge: since then it
    // can have refilled RATE a second, no more.
    double seconds = (System.nanoTime() - burst.lastRefusedSentAt.get()) / 1e9;
    assertEquals(List.of(), tally.other);
    int admitted = tally.admitted.get();
    assertTrue(admitted <= RATE * seconds + 1, admitted + " admitted in " + seconds + " s");
    assertTrue(admitted >= RATE * 5 * 0.9, admitted + " admitted in " + seconds + " s");
    assertTrue(tally.refused.get() > 0, "nothing refused at 110% of the rate");
  }
}
