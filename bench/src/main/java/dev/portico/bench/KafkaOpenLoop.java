package dev.portico.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Open-loop request/reply straight over Kafka, as the HTTP open-loop generator does it: request i
 * is sent at t0 + i/rate whatever the replies do, and its latency runs from that scheduled time to
 * the arrival of its reply (coordinated-omission corrected). The calling thread sends; a listener
 * thread, the only user of the consumer and of the recorder, matches replies by correlation id.
 */
final class KafkaOpenLoop {
  // After the last scheduled send, outstanding requests get this long before counting as errors.
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Pending(long scheduledNanos, boolean measured) {}

  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> replies;
  private final LongFunction<ProducerRecord<String, String>> requests;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong sendErrors = new AtomicLong();
  private final LatencyRecorder recorder = new LatencyRecorder();
  private volatile long lastSendNanos;
  private volatile boolean sending = true;

  /**
   * @param replies assigned to the reply partition and positioned at its end
   * @param requests request n, keyed by its correlation id
   */
  KafkaOpenLoop(
      KafkaProducer<String, String> producer,
      KafkaConsumer<String, String> replies,
      LongFunction<ProducerRecord<String, String>> requests) {
    this.producer = producer;
    this.replies = replies;
    this.requests = requests;
  }

  /** Runs warm-up then measurement at {@code rate} req/s; returns after the replies drained. */
  LoadResult run(String scenario, int rate, int warmupSeconds, int durationSeconds)
      throws InterruptedException {
    long warmupRequests = (long) rate * warmupSeconds;
    long total = warmupRequests + (long) rate * durationSeconds;
    Thread listener = new Thread(this::listen, "kafka-open-loop-replies");
    listener.start();
    long t0 = System.nanoTime();
    CpuUse.Sample cpuAtMeasureStart = null;
    for (long i = 0; i < total; i++) {
      long due = t0 + i * 1_000_000_000L / rate;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      if (i == warmupRequests) {
        cpuAtMeasureStart = CpuUse.sample();
      }
      send(requests.apply(i), new Pending(due, i >= warmupRequests));
    }
    CpuUse cpu = CpuUse.between(cpuAtMeasureStart, CpuUse.sample());
    lastSendNanos = System.nanoTime();
    sending = false;
    listener.join();
    long measuredLeft = pending.values().stream().filter(Pending::measured).count();
    recorder.unfinished(measuredLeft + sendErrors.get());
    long measureStart = t0 + warmupRequests * 1_000_000_000L / rate;
    return recorder.result(
        scenario,
        Integer.toString(rate),
        1,
        measureStart,
        measureStart + TimeUnit.SECONDS.toNanos(durationSeconds),
        cpu);
  }

  private void send(ProducerRecord<String, String> record, Pending call) {
    String correlationId = record.key();
    pending.put(correlationId, call);
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null && pending.remove(correlationId) != null && call.measured()) {
            sendErrors.incrementAndGet();
          }
        });
  }

  private void listen() {
    while (sending || (!pending.isEmpty() && System.nanoTime() - lastSendNanos < DRAIN_NANOS)) {
      for (ConsumerRecord<String, String> reply : replies.poll(Duration.ofMillis(20))) {
        long now = System.nanoTime();
        Header id = reply.headers().lastHeader("portico-correlation-id");
        Pending call =
            id == null ? null : pending.remove(new String(id.value(), StandardCharsets.UTF_8));
        if (call != null && call.measured()) {
          recorder.response(status(reply.value()), now - call.scheduledNanos(), now);
        }
      }
    }
  }

  /** The response event's status; 0 (counted as non-2xx) when it cannot be read. */
  private static int status(String responseEvent) {
    try {
      return new JsonObject(responseEvent).getInteger("statusCode", 0);
    } catch (DecodeException | ClassCastException e) {
      return 0;
    }
  }
}
