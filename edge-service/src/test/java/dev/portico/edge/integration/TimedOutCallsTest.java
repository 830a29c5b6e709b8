package dev.portico.edge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimedOutCallsTest {
  final AtomicLong now = new AtomicLong();
  final TimedOutCalls calls = new TimedOutCalls(now::get);

  @Test
  void shouldHandTheLateReplyActionOutOnce() {
    Runnable action = () -> {};
    calls.watch("r1", action);
    assertSame(action, calls.claim("r1"));
    assertNull(calls.claim("r1"), "a second reply to the same request is not counted again");
    assertNull(calls.claim("never-timed-out"));
  }

  @Test
  void shouldForgetCallsOlderThanTheWindow() {
    calls.watch("old", () -> {});
    now.addAndGet(TimedOutCalls.WINDOW.toNanos() + 1);
    calls.watch("new", () -> {});
    assertNull(calls.claim("old"));
    assertEquals(1, calls.size());
  }

  @Test
  void shouldForgetTheOldestBeyondItsCapacity() {
    for (int i = 0; i <= TimedOutCalls.CAPACITY; i++) {
      calls.watch("r" + i, () -> {});
    }
    assertEquals(TimedOutCalls.CAPACITY, calls.size());
    assertNull(calls.claim("r0"));
    assertNotNull(calls.claim("r1"));
  }
}
