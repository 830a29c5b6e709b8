package dev.portico.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients writing as a careful client does: each of {@code clients} threads sends one update at a
 * time ({@code PATCH /prod/customer/<item>}, add 1 to {@code counter}) with its own
 * Idempotency-Key, spread over the edge replicas as a load balancer would, and sends it again on a
 * 5xx or a transport error (to the next replica, after 100 ms) until it is acknowledged. Every
 * acknowledged write is recorded with when it was first sent and when it was acknowledged.
 */
final class WriteLoad implements AutoCloseable {
  /** An acknowledged write: first sent at {@code sentNanos}, answered 2xx at {@code ackNanos}. */
  record Write(int sequence, String item, long sentNanos, long ackNanos, int attempts) {
    long latencyNanos() {
      return ackNanos - sentNanos;
    }
  }

  static final Duration RETRY_AFTER = Duration.ofMillis(100);

  private final List<String> edges;
  private final int items;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService threads;
  private final int clients;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger next = new AtomicInteger();
  private final Queue<Write> acknowledged = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Integer> clientErrors = new ConcurrentHashMap<>();

  WriteLoad(List<String> edges, int clients, int items) {
    this.edges = List.copyOf(edges);
    this.clients = clients;
    this.items = items;
    this.threads = Executors.newFixedThreadPool(clients);
  }

  static String item(int number) {
    return "cf-" + number;
  }

  WriteLoad start() {
    for (int c = 0; c < clients; c++) {
      threads.execute(this::writeUntilStopped);
    }
    return this;
  }

  private void writeUntilStopped() {
    while (!stopping.get()) {
      int sequence = next.getAndIncrement();
      String item = item(sequence % items);
      long sent = System.nanoTime();
      int attempts = 0;
      while (true) {
        attempts++;
        String edge = edges.get((sequence + attempts) % edges.size());
        int status = send(edge, item, "write-" + sequence);
        if (status >= 200 && status < 300) {
          acknowledged.add(new Write(sequence, item, sent, System.nanoTime(), attempts));
          break;
        }
        if (status >= 400 && status < 500) {
          clientErrors.merge(status, 1, Integer::sum); // a client error is not retried
          break;
        }
        if (Thread.currentThread().isInterrupted()) {
          return; // closed: the test is over
        }
        LockSupport.parkNanos(RETRY_AFTER.toNanos()); // a client's back-off, not a wait on a test
      }
    }
  }

  /** The response's status, or 0 when there was none (refused, reset, timed out). */
  private int send(String edge, String item, String key) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(edge + "/prod/customer/" + item))
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"add\":{\"counter\":1}}"))
            .header("content-type", "application/json")
            .header("Idempotency-Key", key)
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Writes acknowledged so far. */
  List<Write> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Writes acknowledged so far that were first sent at or after {@code nanos}. */
  long acknowledgedSentAfter(long nanos) {
    return acknowledged.stream().filter(w -> w.sentNanos() >= nanos).count();
  }

  Map<Integer, Integer> clientErrors() {
    return Map.copyOf(clientErrors);
  }

  /**
   * Sends no new writes and waits until every write in flight is acknowledged; false if some are
   * still unanswered after {@code timeout}.
   */
  boolean finish(Duration timeout) throws InterruptedException {
    stopping.set(true);
    threads.shutdown();
    return threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    stopping.set(true);
    threads.shutdownNow();
  }
}
