package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
@Tag("integration")
class InProcessKafkaBrokerTest {

  @TempDir Path dataDir;

  @Test
  void shouldKeepTopicsAndRecordsAcrossARestartOnTheSameData() throws Exception {
    BrokerSettings settings = BrokerSettings.defaults(dataDir).withPorts(freePort(), freePort());
    try (KafkaBroker broker = InProcessKafkaBroker.start(settings)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (var producer = producer(broker.bootstrapServers())) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get();
        }
      }
    }

    try (KafkaBroker broker = InProcessKafkaBroker.start(settings)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        assertTrue(admin.listTopics().names().get().contains("kept"));
      }
      assertEquals(
          List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"),
          readAll(broker.bootstrapServers(), "kept", 10));
    }
  }

  @Test
  void shouldNameThePortWhenItIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      BrokerSettings settings = BrokerSettings.defaults(dataDir).withPorts(port, freePort());
      BrokerStartException e =
          assertThrows(BrokerStartException.class, () -> InProcessKafkaBroker.start(settings));
      assertTrue(e.getMessage().contains("port " + port), e.getMessage());
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A free loopback port never handed out before in this JVM: the kernel may offer a just-closed
   * port again at once, and a broker's two listeners must not get the same one (test-support's
   * FreePorts does the same; this module cannot depend on test-support, which depends on it).
   */
  static int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  static List<String> readAll(String bootstrap, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(Set.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(Set.of(new TopicPartition(topic, 0)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
