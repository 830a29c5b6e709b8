package dev.portico.kit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exactly-once loop on a real broker. */
@ExtendWith(KafkaExtension.class)
@Timeout(120)
@Tag("integration")
class TransactionalLoopTest {

  @Test
  void shouldProduceEachOutputExactlyOnceWhenATransactionAbortsMidBatch(TestKafka kafka)
      throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    createTopics(kafka, in, out);
    send(kafka, in, 200);
    AtomicBoolean failedOnce = new AtomicBoolean();
    List<String> states = new CopyOnWriteArrayList<>();
    TransactionalLoop loop =
        loop(kafka, prefix, in)
            .processor(
                (record, tx) -> {
                  tx.send(new ProducerRecord<>(out, record.key(), record.value()));
                  if (record.key().equals("k-120") && failedOnce.compareAndSet(false, true)) {
                    throw new KafkaException("injected: the broker went away mid-transaction");
                  }
                })
            .state(recording(states))
            .build()
            .start();
    try {
      awaitCommitted(kafka, prefix + "group", 200);
      List<String> keys = readCommitted(kafka, out);
      assertEquals(200, keys.size());
      assertEquals(200, Set.copyOf(keys).size(), "no output twice: " + keys);
      assertTrue(failedOnce.get());
      assertTrue(loop.stats().aborts() >= 1);
      assertTrue(states.contains("abort"), states.toString());
      assertEquals("assigned", states.get(0), "state is restored before anything is processed");
    } finally {
      loop.close();
    }
  }

  /**
   * A cluster's transaction coordinator that fails over or aborts a transaction itself bumps the
   * producer's epoch; the next send fails with InvalidProducerEpochException. The loop aborts and
   * goes on (it used to stop, leaving the replica alive and idle).
   */
  @Test
  void shouldAbortAndGoOnWhenTheCoordinatorBumpedTheEpoch(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    createTopics(kafka, in, out);
    send(kafka, in, 200);
    AtomicBoolean failedOnce = new AtomicBoolean();
    TransactionalLoop loop =
        loop(kafka, prefix, in)
            .processor(
                (record, tx) -> {
                  tx.send(new ProducerRecord<>(out, record.key(), record.value()));
                  if (record.key().equals("k-80") && failedOnce.compareAndSet(false, true)) {
                    throw new InvalidProducerEpochException(
                        "injected: Producer attempted to produce with an old epoch.");
                  }
                })
            .build()
            .start();
    try {
      awaitCommitted(kafka, prefix + "group", 200);
      List<String> keys = readCommitted(kafka, out);
      assertEquals(200, keys.size());
      assertEquals(200, Set.copyOf(keys).size(), "no output twice: " + keys);
      assertTrue(failedOnce.get());
      assertTrue(loop.stats().aborts() >= 1);
    } finally {
      loop.close();
    }
  }

  /**
   * A transaction open longer than {@code transaction.timeout.ms} (as while a broker fails over) is
   * aborted by the coordinator, which bumps the producer's epoch: the producer can then neither
   * commit nor abort. With a way to renew its producer the loop goes on and processes the input
   * again, each output once; it used to stop ("There is a newer producer with the same
   * transactionalId", or "Cannot execute transactional method because we are in an error state"),
   * leaving a customer-service replica alive and idle on a 3-broker cluster.
   */
  @Test
  void shouldRenewTheProducerWhenTheCoordinatorAbortedATimedOutTransaction(TestKafka kafka)
      throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    createTopics(kafka, in, out);
    send(kafka, in, 100);
    AtomicBoolean stalledOnce = new AtomicBoolean();
    Map<String, Object> p = producerProperties(kafka, prefix);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1_000);
    TransactionalLoop loop =
        loop(
                kafka,
                prefix,
                in,
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()))
            .renewProducerWith(
                () -> new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()))
            .processor(
                (record, tx) -> {
                  tx.send(new ProducerRecord<>(out, record.key(), record.value()));
                  if (record.key().equals("k-40") && stalledOnce.compareAndSet(false, true)) {
                    awaitAbortedByCoordinator(kafka, prefix + "loop");
                  }
                })
            .build()
            .start();
    try {
      awaitCommitted(kafka, prefix + "group", 100);
      List<String> keys = readCommitted(kafka, out);
      assertEquals(100, keys.size());
      assertEquals(100, Set.copyOf(keys).size(), "no output twice: " + keys);
      assertNull(loop.failure());
      assertTrue(loop.stats().aborts() >= 1);
    } finally {
      loop.close();
    }
  }

  /** Waits (inside the open transaction) until the coordinator has aborted it on its timeout. */
  private static void awaitAbortedByCoordinator(TestKafka kafka, String transactionalId) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  admin
                      .describeTransactions(List.of(transactionalId))
                      .description(transactionalId)
                      .get()
                      .state()
                      .equals(TransactionState.COMPLETE_ABORT));
    }
  }

  @Test
  void shouldCommitTheOffsetsOfQuietInputWithinTheDelay(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    createTopics(kafka, in);
    TransactionalLoop loop =
        loop(kafka, prefix, in)
            .processor((record, tx) -> {}) // produces nothing
            .offsetsOnlyDelay(Duration.ofMillis(300))
            .build()
            .start();
    try {
      send(kafka, in, 50);
      awaitCommitted(kafka, prefix + "group", 50);
      assertTrue(loop.stats().lazyBatches() >= 1);
      assertTrue(
          loop.stats().transactions() < loop.stats().lazyBatches() + 1,
          "quiet batches share transactions: " + loop.stats());
    } finally {
      loop.close();
    }
  }

  @Test
  void shouldRunTicksAndCommitWhatTheyProduce(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    createTopics(kafka, in, out);
    TransactionalLoop loop =
        loop(kafka, prefix, in)
            .processor((record, tx) -> {})
            .every(
                Duration.ofMillis(100),
                tx ->
                    tx.send(
                        new ProducerRecord<>(out, "tick", UUID.randomUUID().toString().getBytes())))
            .build()
            .start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> readCommitted(kafka, out).size() >= 3);
    } finally {
      loop.close();
    }
  }

  private static TransactionalLoop.Builder loop(TestKafka kafka, String prefix, String topic) {
    return loop(
        kafka,
        prefix,
        topic,
        new KafkaProducer<>(
            producerProperties(kafka, prefix), new StringSerializer(), new ByteArraySerializer()));
  }

  private static Map<String, Object> producerProperties(TestKafka kafka, String prefix) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "loop");
    return p;
  }

  private static TransactionalLoop.Builder loop(
      TestKafka kafka, String prefix, String topic, KafkaProducer<String, byte[]> producer) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "group");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return TransactionalLoop.builder(
            "test-loop",
            new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer()),
            producer)
        .topics(List.of(topic))
        .pollTimeout(Duration.ofMillis(200));
  }

  private static TransactionalLoop.StateHooks recording(List<String> events) {
    return new TransactionalLoop.StateHooks() {
      @Override
      public void onAssigned(Collection<TopicPartition> partitions) {
        events.add("assigned");
      }

      @Override
      public void onRevoked(Collection<TopicPartition> partitions) {
        events.add("revoked");
      }

      @Override
      public void beforeCommit(TransactionalLoop.Transaction tx) {}

      @Override
      public void afterCommit() {
        events.add("commit");
      }

      @Override
      public void afterAbort() {
        events.add("abort");
      }
    };
  }

  static void createTopics(TestKafka kafka, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<NewTopic> all = new ArrayList<>();
      for (String topic : topics) {
        all.add(new NewTopic(topic, 2, (short) 1));
      }
      admin.createTopics(all).all().get();
    }
  }

  static void send(TestKafka kafka, String topic, int count) {
    Map<String, Object> p =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "k-" + i, "v-" + i));
      }
    }
  }

  /** Waits until {@code group} has committed offsets past {@code total} records in all. */
  static void awaitCommitted(TestKafka kafka, String group, long total) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin
                          .listConsumerGroupOffsets(group)
                          .partitionsToOffsetAndMetadata()
                          .get()
                          .values()
                          .stream()
                          .mapToLong(OffsetAndMetadata::offset)
                          .sum()
                      == total);
    }
  }

  /** The keys of every committed record of {@code topic}, up to its current end. */
  static List<String> readCommitted(TestKafka kafka, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> keys = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }
}
