package dev.portico.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** When each of {@link TransactionalLoop}'s ticks is due next. Loop thread only. */
final class TickSchedule {
  private final List<Scheduled> ticks = new ArrayList<>();

  TickSchedule(Map<TransactionalLoop.Tick, Duration> every) {
    long now = System.nanoTime();
    every.forEach((tick, interval) -> ticks.add(new Scheduled(tick, interval, now)));
  }

  /** Nanoseconds until the next tick is due (negative when overdue); MAX_VALUE without ticks. */
  long nanosUntilNext() {
    long now = System.nanoTime();
    long until = Long.MAX_VALUE;
    for (Scheduled tick : ticks) {
      until = Math.min(until, tick.dueNanos - now);
    }
    return until;
  }

  /**
   * Runs each tick that is due now, rescheduling it one interval from now just before, until {@code
   * run} returns false (a failed transaction: the ticks not reached stay due); none while {@code
   * closing}.
   */
  void runDue(BooleanSupplier closing, Predicate<TransactionalLoop.Tick> run) {
    long now = System.nanoTime();
    for (Scheduled scheduled : ticks) {
      if (now - scheduled.dueNanos < 0 || closing.getAsBoolean()) {
        continue;
      }
      scheduled.dueNanos = now + scheduled.everyNanos;
      if (!run.test(scheduled.tick)) {
        return;
      }
    }
  }

  private static final class Scheduled {
    final TransactionalLoop.Tick tick;
    final long everyNanos;
    long dueNanos;

    Scheduled(TransactionalLoop.Tick tick, Duration every, long now) {
      this.tick = tick;
      this.everyNanos = every.toNanos();
      this.dueNanos = now + everyNanos;
    }
  }
}
