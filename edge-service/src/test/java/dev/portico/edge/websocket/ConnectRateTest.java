package dev.portico.edge.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectRateTest {
  final AtomicLong now = new AtomicLong(5_000_000_000L);

  int admitted(ConnectRate rate, int tries) {
    int ok = 0;
    for (int i = 0; i < tries; i++) {
      ok += rate.tryAcquire() ? 1 : 0;
    }
    return ok;
  }

  @Test
  void shouldHoldTwoSecondsWorthAndRefillAtTheRate() {
    ConnectRate rate = new ConnectRate(500, now::get);
    assertEquals(1_000, rate.burst());
    assertEquals(1_000, admitted(rate, 1_500), "the burst, at once");
    now.addAndGet(100_000_000L);
    assertEquals(50, admitted(rate, 100), "0.1 s refills 50");
    now.addAndGet(10_000_000_000L);
    assertEquals(1_000, admitted(rate, 1_500), "never more than the burst after a quiet spell");
  }

  @Test
  void shouldAdmitASteadyStreamUnderTheRateThroughAPause() {
    ConnectRate rate = new ConnectRate(500, now::get);
    // 450/s for 5 s, then 2 s of pause in which 900 arrive and are handed over at once.
    for (int i = 0; i < 2_250; i++) {
      now.addAndGet(1_000_000_000L / 450);
      assertTrue(rate.tryAcquire(), "refused at " + i);
    }
    now.addAndGet(2_000_000_000L);
    assertEquals(900, admitted(rate, 900));
    assertEquals(100, admitted(rate, 200), "what is left of the burst, and no more");
  }

  @Test
  void shouldAdmitExactlyTheBurstToLoopsRacingForIt() throws Exception {
    ConnectRate rate = new ConnectRate(1_000, now::get); // the clock stands still: no refill
    AtomicInteger ok = new AtomicInteger();
    ExecutorService loops = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      loops.execute(
          () -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              return;
            }
            for (int i = 0; i < 1_000; i++) {
              if (rate.tryAcquire()) {
                ok.incrementAndGet();
              }
            }
          });
    }
    go.countDown();
    loops.shutdown();
    assertTrue(loops.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(2_000, ok.get());
  }

  @Test
  void shouldKeepTheRateForOnePerSecond() {
    ConnectRate rate = new ConnectRate(1, now::get);
    assertEquals(2, admitted(rate, 5));
    now.addAndGet(999_000_000L);
    assertFalse(rate.tryAcquire());
    now.addAndGet(1_000_000L);
    assertTrue(rate.tryAcquire());
  }
}
