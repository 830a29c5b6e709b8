package dev.portico.alarm.delivery;

import dev.portico.contracts.alarms.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one delivery: record SENDING, send, record the outcome (DELIVERED; RETRYING with
 * the next attempt's time; DEAD with a dead-letter copy; HELD when there is no SMTP server). Each
 * state is written to Kafka before the next step, which is what makes a delivery recorded DELIVERED
 * impossible to send again. Blocking; runs on a delivery thread.
 */
final class DeliveryAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempt.class);

  /** {@link #run}'s answer when the delivery needs no further attempt. */
  static final long FINISHED = -1;

  private final Transport email;
  private final Transport http;
  private final DeliveryLedger ledger;
  private final RetryPolicy policy;
  private final Clock clock;

  /**
   * @param email the SMTP transport, or null in local mode (email deliveries are then HELD)
   */
  DeliveryAttempt(
      Transport email, Transport http, DeliveryLedger ledger, RetryPolicy policy, Clock clock) {
    this.email = email;
    this.http = http;
    this.ledger = ledger;
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * @param recorded told each state once Kafka has it: the caller's current view of the delivery
   * @return {@link #FINISHED}, or the delay in ms before the next attempt
   * @throws ExecutionException when Kafka refused a state record before anything was sent
   */
  long run(Delivery d, Consumer<Delivery> recorded)
      throws ExecutionException, InterruptedException {
    Transport transport = d.isEmail() ? email : http;
    if (transport == null) {
      record(
          d.withStatus(
              Delivery.HELD,
              d.attempts(),
              null,
              "No SMTP server is configured (PORTICO_SMTP_HOST); kept, not sent",
              clock.millis()),
          recorded);
      ledger.count(d, "held");
      return FINISHED;
    }
    int attempt = d.attempts() + 1;
    record(d.withStatus(Delivery.SENDING, attempt, null, d.lastError(), clock.millis()), recorded);
    try {
      transport.send(d);
    } catch (DeliveryFailure failure) {
      return failed(d, attempt, failure, recorded);
    }
    long now = clock.millis();
    recordAccepted(d.withStatus(Delivery.DELIVERED, attempt, null, null, now), recorded);
    ledger.count(d, "delivered");
    ledger.latency(d, now);
    ledger.history(d, true, attempt, null);
    return FINISHED;
  }

  private long failed(Delivery d, int attempt, DeliveryFailure failure, Consumer<Delivery> recorded)
      throws ExecutionException, InterruptedException {
    long now = clock.millis();
    Duration delay = failure.permanent() ? null : policy.delayAfter(attempt);
    if (delay == null) {
      Delivery dead = d.withStatus(Delivery.DEAD, attempt, null, failure.getMessage(), now);
      ledger.deadLetter(dead);
      record(dead, recorded);
      ledger.count(d, "dead");
      ledger.history(d, false, attempt, failure.getMessage());
      LOG.warn(
          "Delivery {} dead-lettered after {} attempts: {}",
          d.deliveryId(),
          attempt,
          failure.getMessage());
      return FINISHED;
    }
    record(
        d.withStatus(Delivery.RETRYING, attempt, now + delay.toMillis(), failure.getMessage(), now),
        recorded);
    ledger.count(d, "retried");
    LOG.info(
        "Delivery {} attempt {} failed ({}); next in {} ms",
        d.deliveryId(),
        attempt,
        failure.getMessage(),
        delay.toMillis());
    return delay.toMillis();
  }

  private void record(Delivery d, Consumer<Delivery> recorded)
      throws ExecutionException, InterruptedException {
    ledger.write(d);
    recorded.accept(d);
  }

  /**
   * The endpoint accepted the message: record DELIVERED, insisting while Kafka refuses, because
   * trying the delivery again instead would send it twice. Only the process dying stops this.
   */
  private void recordAccepted(Delivery delivered, Consumer<Delivery> recorded)
      throws InterruptedException {
    while (true) {
      try {
        record(delivered, recorded);
        return;
      } catch (ExecutionException e) {
        LOG.warn(
            "Delivery {} was accepted but its state not recorded ({}); retrying the record",
            delivered.deliveryId(),
            e.getCause().toString());
        Thread.sleep(policy.minBackoff().toMillis()); // waiting for Kafka, on a delivery thread
      }
    }
  }
}
