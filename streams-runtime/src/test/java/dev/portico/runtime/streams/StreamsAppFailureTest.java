package dev.portico.runtime.streams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.runtime.KafkaSettings;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread that fails stops the whole application (Kafka Streams' {@code SHUTDOWN_CLIENT})
 * and the application says why, which the service turns into {@code /health} DOWN and an exit for
 * its supervisor to restart; on a real broker.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(120)
@Tag("integration")
class StreamsAppFailureTest {

  @Test
  void shouldStopTheApplicationAndReportTheErrorWhenAStreamThreadFails(
      TestKafka kafka, @TempDir Path dir) throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(in, 1, (short) 1))).all().get();
    }
    StreamsBuilder topology = new StreamsBuilder();
    topology.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .foreach(
            (key, value) -> {
              if (value.equals("poison")) {
                throw new IllegalStateException("injected: a bug met a record it cannot handle");
              }
            });
    StreamsApp app =
        StreamsApp.builder(
                "failing app", new KafkaSettings(kafka.bootstrapServers(), prefix, 1, (short) 1, 0))
            .applicationId("failing-app")
            .stateDir(dir)
            .metrics(new SimpleMeterRegistry())
            .start(topology.build());
    try {
      await().atMost(Duration.ofSeconds(60)).until(app::running);
      assertNull(app.failure());

      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(in, "k", "poison")).get();
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> app.failure() != null);
      assertTrue(causes(app.failure()).contains("a bug met a record"), causes(app.failure()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> app.streams().state() == KafkaStreams.State.ERROR);
      assertEquals(KafkaStreams.State.ERROR, app.streams().state(), "the whole client stopped");
    } finally {
      app.close();
    }
  }

  private static String causes(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable e = error; e != null; e = e.getCause()) {
      all.append(e).append('\n');
    }
    return all.toString();
  }
}
