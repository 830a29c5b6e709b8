package dev.portico.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The smallest function the function protocol allows, for the Kafka benchmarks: answers every
 * request event on its topic with status 200 and the request's own body, on the reply address the
 * request names; an authorizer function's event ({@code "type": "REQUEST"}) with an allowing
 * verdict, so that it also serves as the authorizer of the gateway benchmarks. Plain clients, no
 * transaction and no consumer group (it reads every partition from the end), so it adds as little
 * as possible to the round trip under measurement.
 */
@Command(
    name = "echo-function",
    mixinStandardHelpOptions = true,
    description = "Answer request events on a topic (created if missing) until stopped.")
final class EchoFunctionCommand implements Callable<Integer> {
  private static final String CORRELATION_ID = "portico-correlation-id";
  private static final String REPLY_TOPIC = "portico-reply-topic";
  private static final String REPLY_PARTITION = "portico-reply-partition";
  private static final String ALLOW =
      "{\"isAuthorized\":true,\"principalId\":\"bench\",\"context\":{\"via\":\"echo-function\"}}";

  @Mixin KafkaOptions kafka;

  @Option(names = "--topic", description = "Request topic (default: <topic prefix>bench.echo).")
  String topic;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions if the topic is created (default: ${DEFAULT-VALUE}).")
  int partitions;

  private final AtomicLong sendErrors = new AtomicLong();
  private volatile boolean running = true;

  @Override
  public Integer call() throws Exception {
    String requests = topic != null ? topic : kafka.prefix + "bench.echo";
    int count = ensureTopic(requests);
    var consumerProps =
        Map.<String, Object>of(
            "bootstrap.servers",
            kafka.bootstrap,
            "enable.auto.commit",
            false,
            // The edge's reply consumer uses the same: a parked fetch is answered on arrival.
            "fetch.max.wait.ms",
            100);
    var producerProps =
        Map.<String, Object>of("bootstrap.servers", kafka.bootstrap, "acks", "all", "linger.ms", 0);
    CountDownLatch closed = new CountDownLatch(1);
    long answered = 0;
    try (var consumer =
            new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        var producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      List<TopicPartition> all =
          IntStream.range(0, count).mapToObj(p -> new TopicPartition(requests, p)).toList();
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(consumer::position); // resolve the end now: nothing sent from here on is missed
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    running = false;
                    consumer.wakeup();
                    awaitQuietly(closed);
                  }));
      System.out.printf("echo-function ready: topic=%s partitions=%d%n", requests, count);
      System.out.flush();
      try {
        while (running) {
          for (ConsumerRecord<String, String> request : consumer.poll(Duration.ofMillis(500))) {
            if (reply(producer, request)) {
              answered++;
            }
          }
        }
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
      }
      System.out.printf(
          "echo-function stopped: answered=%d send_errors=%d%n", answered, sendErrors.get());
    } finally {
      closed.countDown();
    }
    return 0;
  }

  /** Creates the topic unless it exists; returns its partition count. */
  private int ensureTopic(String name) throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap))) {
      try {
        admin
            .createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
            .all()
            .get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      return admin
          .describeTopics(List.of(name))
          .allTopicNames()
          .get()
          .get(name)
          .partitions()
          .size();
    }
  }

  /** Sends the response event; false for a request without a reply address (nobody waits). */
  private boolean reply(KafkaProducer<String, String> producer, ConsumerRecord<String, String> in) {
    String replyTopic = header(in, REPLY_TOPIC);
    String replyPartition = header(in, REPLY_PARTITION);
    String correlationId = header(in, CORRELATION_ID);
    if (replyTopic == null || replyPartition == null || correlationId == null) {
      return false;
    }
    JsonObject response = new JsonObject();
    try {
      JsonObject request = new JsonObject(in.value());
      boolean authorizer = "REQUEST".equals(request.getValue("type"));
      response
          .put("statusCode", 200)
          .put("headers", new JsonObject().put("content-type", "application/json"))
          .put("body", authorizer ? ALLOW : request.getString("body", ""))
          .put("isBase64Encoded", !authorizer && request.getBoolean("isBase64Encoded", false));
    } catch (DecodeException | ClassCastException e) {
      response.put("statusCode", 400).put("body", "malformed request event");
    }
    var out =
        new ProducerRecord<>(
            replyTopic, Integer.parseInt(replyPartition), correlationId, response.encode());
    out.headers().add(CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
    producer.send(
        out,
        (metadata, error) -> {
          if (error != null) {
            sendErrors.incrementAndGet();
          }
        });
    return true;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
