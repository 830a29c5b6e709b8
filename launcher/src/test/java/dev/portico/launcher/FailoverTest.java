package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Topics;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover without loss or duplicates: two customer-service replicas (child processes) share the
 * table; a client sends 10,000 idempotent updates through the edge, retrying on 5xx as a client
 * would; one replica is killed with SIGKILL mid-run. Afterwards every item holds exactly its number
 * of updates, and the stream holds exactly one record per update, in per-item order.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(420)
@Tag("integration")
class FailoverTest {
  static final int ITEMS = 40;
  static final int UPDATES = 10_000;
  static final int IN_FLIGHT = 32;
  static final int KILL_AFTER = 3_000;

  @Test
  void shouldLoseAndDuplicateNothingWhenAReplicaIsKilled(
      TestKafka kafka, @TempDir Path stateA, @TempDir Path stateB, @TempDir Path logs)
      throws Exception {
    String prefix = kafka.freshPrefix();
    Process replicaA = startReplica(kafka, prefix, stateA, logs.resolve("a.log"));
    Process replicaB = startReplica(kafka, prefix, stateB, logs.resolve("b.log"));
    try (Suite suite = new Suite(kafka.bootstrapServers(), prefix, stateA, 5_000).startEdge();
        ChangeStream stream =
            new ChangeStream(kafka.bootstrapServers(), Topics.CUSTOMER_CHANGES.name(prefix))) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Semaphore window = new Semaphore(IN_FLIGHT);
      AtomicInteger acknowledged = new AtomicInteger();
      AtomicInteger retried = new AtomicInteger();
      Map<Integer, Integer> clientErrors = new ConcurrentHashMap<>();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < UPDATES; i++) {
        window.acquire();
        if (acknowledged.get() >= KILL_AFTER && replicaA.isAlive()) {
          replicaA.destroyForcibly(); // SIGKILL: no leave, no commit, an open transaction
        }
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(suite.url("/prod/customer/fo-" + (i % ITEMS))))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"add\":{\"counter\":1}}"))
                .header("content-type", "application/json")
                .header("Idempotency-Key", "update-" + i)
                .timeout(Duration.ofSeconds(30))
                .build();
        all.add(
            sendUntilAcknowledged(client, request, retried, clientErrors)
                .whenComplete(
                    (ok, error) -> {
                      acknowledged.incrementAndGet();
                      window.release();
                    }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
      assertTrue(!replicaA.isAlive(), "a replica was killed mid-run");
      assertEquals(Map.of(), clientErrors, "no 4xx: every failure was the service's, and retried");

      for (int k = 0; k < ITEMS; k++) {
        HttpResponse<String> item = Http.get(suite.url("/prod/customer/fo-" + k));
        assertEquals(200, item.statusCode(), item.body());
        assertEquals(
            UPDATES / ITEMS,
            FirstRequestEndToEndTest.json(item.body()).get("counter").asInt(),
            "fo-" + k);
      }

      List<JsonNode> records = stream.awaitRecords(UPDATES);
      assertEquals(UPDATES, records.size(), "one record per acknowledged update, none twice");
      Map<String, List<Integer>> counters = new HashMap<>();
      for (JsonNode record : records) {
        counters
            .computeIfAbsent(
                record.at("/dynamodb/Keys/customer_id").asText(), id -> new ArrayList<>())
            .add(record.at("/dynamodb/NewImage/counter").asInt());
      }
      List<Integer> oneToN = new ArrayList<>();
      for (int n = 1; n <= UPDATES / ITEMS; n++) {
        oneToN.add(n);
      }
      counters.forEach((id, values) -> assertEquals(oneToN, values, id + " in per-item order"));
      assertEquals(ITEMS, counters.size());
      System.out.printf("failover: %d retries after errors or timeouts%n", retried.get());
    } finally {
      replicaA.destroyForcibly();
      replicaB.destroy();
      replicaB.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Sends, and on a 5xx or a transport error sends again after 100 ms, as a client would. */
  static CompletableFuture<Void> sendUntilAcknowledged(
      HttpClient client,
      HttpRequest request,
      AtomicInteger retried,
      Map<Integer, Integer> clientErrors) {
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> response)
        .thenCompose(
            response -> {
              if (response != null && response.statusCode() < 300) {
                return CompletableFuture.completedFuture(null);
              }
              if (response != null && response.statusCode() < 500) {
                clientErrors.merge(response.statusCode(), 1, Integer::sum);
                return CompletableFuture.completedFuture(null);
              }
              retried.incrementAndGet();
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
                  .thenCompose(v -> sendUntilAcknowledged(client, request, retried, clientErrors));
            });
  }

  static Process startReplica(TestKafka kafka, String prefix, Path state, Path log)
      throws Exception {
    int ops = FreePorts.next();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.portico.customer.CustomerMain")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_CUSTOMER_OPS_PORT", Integer.toString(ops));
    env.put("PORTICO_CUSTOMER_STATE_DIR", state.toString());
    env.put("PORTICO_CUSTOMER_SESSION_TIMEOUT_MS", "6000");
    env.put("PORTICO_LOG_LEVEL", "WARN");
    Process process = builder.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .failFast("customer-service exited; see " + log, () -> !process.isAlive())
        .until(() -> Http.get("http://127.0.0.1:" + ops + "/ready").statusCode() == 200);
    return process;
  }
}
