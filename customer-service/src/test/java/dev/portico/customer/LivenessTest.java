package dev.portico.customer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness is honest: when customer-service's command loop stops with an error, {@code /health}
 * answers 503 DOWN naming it, and the process exits 1 so that its supervisor restarts it. The loop
 * is stopped the way a real fault stops it: another member joins the group with the replica's
 * static instance id, which fences the replica's consumer (FencedInstanceIdException), as a second
 * process started on the same state would. Before, {@code /health} kept answering UP and the
 * process lived on, idle, and nothing restarted it.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class LivenessTest {
  static final String INSTANCE = "liveness-1";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldAnswerHealthDownNamingTheStoppedLoop(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String prefix = kafka.freshPrefix();
    int ops = FreePorts.next();
    Vertx vertx = Vertx.vertx();
    CustomerService service =
        new CustomerService(
            vertx, CustomerConfig.read(new ConfigReader(environment(kafka, prefix, ops, dir))));
    try {
      service.start().await(60, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(service::isReady);
      assertEquals(200, health(ops).statusCode());

      try (KafkaConsumer<String, byte[]> impostor = fence(kafka, prefix)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> health(ops).statusCode() == 503);
      }
      HttpResponse<String> down = health(ops);
      assertTrue(down.body().contains("\"status\":\"DOWN\""), down.body());
      assertTrue(down.body().contains("the command loop stopped"), down.body());
      assertTrue(down.body().contains("FencedInstanceIdException"), down.body());
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldExitWithOneWhenTheLoopStops(TestKafka kafka, @TempDir Path dir) throws Exception {
    String prefix = kafka.freshPrefix();
    int ops = FreePorts.next();
    Path log = dir.resolve("customer-service.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CustomerMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("PORTICO_"));
    builder.environment().putAll(environment(kafka, prefix, ops, dir));
    Process process = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .failFast("customer-service exited during start-up", () -> !process.isAlive())
          .until(() -> ready(ops));
      try (KafkaConsumer<String, byte[]> impostor = fence(kafka, prefix)) {
        assertTrue(
            process.waitFor(60, TimeUnit.SECONDS),
            "customer-service exits once its loop stopped; log:\n" + Files.readString(log));
      }
      assertEquals(1, process.exitValue(), Files.readString(log));
      assertTrue(Files.readString(log).contains("the command loop stopped"), Files.readString(log));
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, String> environment(
      TestKafka kafka, String prefix, int ops, Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_CUSTOMER_OPS_PORT", Integer.toString(ops));
    env.put("PORTICO_CUSTOMER_STATE_DIR", dir.resolve("state").toString());
    env.put("PORTICO_CUSTOMER_INSTANCE_ID", INSTANCE);
    return env;
  }

  /**
   * Joins the service's group with its instance id, as a second process on the same state would,
   * and polls until the group has taken it in (the service's member is then fenced).
   */
  private static KafkaConsumer<String, byte[]> fence(TestKafka kafka, String prefix) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "portico-customer-service");
    c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> impostor =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    impostor.subscribe(List.of(Topics.CUSTOMER_COMMANDS.name(prefix)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              impostor.poll(Duration.ofMillis(200));
              return !impostor.assignment().isEmpty();
            });
    return impostor;
  }

  private static boolean ready(int ops) throws Exception {
    return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/ready")).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  private static HttpResponse<String> health(int ops) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
