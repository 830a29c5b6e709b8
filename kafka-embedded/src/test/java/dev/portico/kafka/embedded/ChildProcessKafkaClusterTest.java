package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three child-process nodes form one cluster that replicates everything three times and keeps
 * taking transactional writes after the leader of a topic is killed with SIGKILL.
 */
@Timeout(420)
@Tag("integration")
class ChildProcessKafkaClusterTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the nodes' broker.log, when it fails
  Path dir;

  @Test
  void shouldReplicateThreeTimesAndCommitTransactionsWithItsLeaderKilled() throws Exception {
    List<Integer> clientPorts = new ArrayList<>();
    List<Integer> controllerPorts = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      clientPorts.add(InProcessKafkaBrokerTest.freePort());
      controllerPorts.add(InProcessKafkaBrokerTest.freePort());
    }
    List<BrokerSettings> settings =
        ChildProcessKafkaCluster.settings("127.0.0.1", dir, clientPorts, controllerPorts);
    try (ChildProcessKafkaCluster cluster =
            ChildProcessKafkaCluster.start(settings, "256m", Duration.ofSeconds(240));
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      // A node answers from its own copy of the cluster's metadata, which follows the controller's
      // by a moment: wait for it to show what was just done, as any client of a cluster must.
      assertEquals(
          3, eventually(() -> admin.describeCluster().nodes().get(), n -> n.size() == 3).size());
      // no replication factor given: the cluster's default
      admin
          .createTopics(List.of(new NewTopic("orders", Optional.of(2), Optional.empty())))
          .all()
          .get();
      TopicDescription orders =
          eventually(
              () -> admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders"),
              topic -> true);
      orders.partitions().forEach(p -> assertEquals(3, p.replicas().size(), p.toString()));
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
      assertEquals(
          "2",
          eventually(
                  () -> admin.describeConfigs(List.of(topic)).all().get().get(topic),
                  config -> true)
              .get("min.insync.replicas")
              .value());

      writeInTransaction(cluster.bootstrapServers(), "before");
      int leader = orders.partitions().get(0).leader().id();
      cluster.node(leader).kill();
      assertFalse(cluster.node(leader).isAlive());
      writeInTransaction(cluster.bootstrapServers(), "after");

      TopicDescription state =
          admin
              .describeTopics(List.of("__transaction_state"))
              .allTopicNames()
              .get()
              .get("__transaction_state");
      state.partitions().forEach(p -> assertEquals(3, p.replicas().size(), p.toString()));
      assertNotEquals(
          leader,
          admin
              .describeTopics(List.of("orders"))
              .allTopicNames()
              .get()
              .get("orders")
              .partitions()
              .get(0)
              .leader()
              .id(),
          "a surviving node leads");
      assertEquals(List.of("before", "after"), readCommitted(cluster.bootstrapServers()));
    }
  }

  /**
   * The first value {@code read} gives that {@code done} accepts, reading again while the node does
   * not know the topic yet; fails after 30 s.
   */
  private static <T> T eventually(Callable<T> read, Predicate<T> done) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
        .until(read, done::test);
  }

  private static void writeInTransaction(String bootstrap, String value) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "cluster-test",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                60_000),
            new StringSerializer(),
            new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("orders", 0, "k", value));
      producer.commitTransaction();
    }
  }

  private static List<String> readCommitted(String bootstrap) {
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "cluster-test-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of("orders"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < 2 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
