package dev.portico.edge.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.KafkaSettings;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request-event sender parks while idle, and a close still sends what was queued. */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class RequestEventPublisherTest {
  @Test
  void shouldSendEveryQueuedEventWhenClosedRightAfterPublishing(TestKafka kafka) {
    KafkaSettings settings =
        KafkaSettings.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "PORTICO_TOPIC_PREFIX", kafka.freshPrefix())));
    TopicProvisioner.ensure(settings, List.of(Topics.GATEWAY_REQUESTS));
    String topic = settings.topic(Topics.GATEWAY_REQUESTS);
    BoundTopic<RequestEvent> requests = Topics.GATEWAY_REQUESTS.named(topic);
    Set<String> published = new HashSet<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RequestEventPublisher publisher =
        new RequestEventPublisher(settings, topic, 10_000, registry)) {
      for (int i = 0; i < 2_000; i++) {
        String id = "r-" + i;
        publisher.publish(event(id));
        published.add(id);
      }
    } // close() right away: most events are still queued or lingering in the producer's batch

    assertEquals(0, registry.counter("portico.edge.request.events.dropped").count(), "dropped");
    assertEquals(0, registry.counter("portico.edge.request.events.failed").count(), "failed");
    Set<String> received = new HashSet<>();
    Map<String, Object> props = settings.clientProperties("request-event-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "request-event-reader");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> received.add(requests.read(r).requestId()));
                assertEquals(published.size(), received.size(), "events read back");
              });
    }
    assertEquals(published, received);
  }

  @Test
  void shouldParkTheSenderWithoutATimeoutWhileNothingIsQueued(TestKafka kafka) {
    KafkaSettings settings =
        KafkaSettings.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "PORTICO_TOPIC_PREFIX", kafka.freshPrefix())));
    try (RequestEventPublisher publisher =
        new RequestEventPublisher(
            settings, settings.topic(Topics.GATEWAY_REQUESTS), 10, new SimpleMeterRegistry())) {
      // WAITING, not TIMED_WAITING: an idle edge never wakes this thread (it polled every 200 ms).
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> senderState() == Thread.State.WAITING);
    }
  }

  private static Thread.State senderState() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("portico-edge-request-events"))
        .map(Thread::getState)
        .findFirst()
        .orElse(Thread.State.TERMINATED);
  }

  private static RequestEvent event(String requestId) {
    return new RequestEvent(
        requestId,
        0L,
        "api",
        "prod",
        "d1",
        false,
        "GET /x",
        "GET",
        "/x",
        "/x",
        200,
        1.0,
        0.5,
        "MOCK",
        null,
        2L,
        null,
        "127.0.0.1",
        "curl",
        null,
        null,
        null,
        null);
  }
}
