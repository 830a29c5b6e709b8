package dev.portico.kit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consumer loop on a real broker. */
@ExtendWith(KafkaExtension.class)
@Timeout(60)
@Tag("integration")
class ConsumerLoopTest {

  @Test
  void shouldHandEveryRecordToTheHandlerAndGoOnAfterAFailingBatch(TestKafka kafka)
      throws Exception {
    String topic = kafka.freshPrefix() + "tail";
    TransactionalLoopTest.createTopics(kafka, topic);
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    ConsumerLoop<String, String> loop =
        ConsumerLoop.builder("test-tail", consumer(kafka))
            .setUp(c -> assignAllFromEnd(c, topic))
            .onBatch(
                batch -> {
                  handlerThread.set(Thread.currentThread());
                  batch.forEach(r -> seen.add(r.key()));
                  if (seen.size() == 1) {
                    throw new IllegalStateException("a bad batch");
                  }
                })
            .pollTimeout(Duration.ofMillis(200))
            .build()
            .startAndAwaitSetUp(Duration.ofSeconds(30));
    try {
      TransactionalLoopTest.send(kafka, topic, 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> loop.failures() == 1);
      TransactionalLoopTest.send(kafka, topic, 10);
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 11);
      assertEquals("test-tail", handlerThread.get().getName());
      assertTrue(loop.isRunning());
      assertNull(loop.failure());
    } finally {
      loop.close();
    }
    assertFalse(loop.isRunning());
  }

  @Test
  void shouldRunSubmittedTasksOnTheLoopThreadAndStopPromptlyWhenClosed(TestKafka kafka)
      throws Exception {
    String topic = kafka.freshPrefix() + "idle";
    TransactionalLoopTest.createTopics(kafka, topic);
    ConsumerLoop<String, String> loop =
        ConsumerLoop.builder("test-idle", consumer(kafka))
            .setUp(c -> assignAllFromEnd(c, topic))
            .onBatch(batch -> {})
            .pollTimeout(Duration.ofSeconds(30))
            .build()
            .startAndAwaitSetUp(Duration.ofSeconds(30));
    AtomicReference<String> ranOn = new AtomicReference<>();
    loop.submit(c -> ranOn.set(Thread.currentThread().getName()));
    await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.get() != null);
    assertEquals("test-idle", ranOn.get(), "a task runs on the loop, waking its long poll");
    long started = System.nanoTime();
    loop.close();
    assertTrue(
        System.nanoTime() - started < Duration.ofSeconds(6).toNanos(),
        "close wakes the 30 s poll instead of waiting for it");
    assertFalse(loop.isRunning());
  }

  @Test
  void shouldRunTheLastStepOnTheLoopThreadEvenWithTheCloseWakeUpPending(TestKafka kafka)
      throws Exception {
    String prefix = kafka.freshPrefix();
    String topic = prefix + "pending";
    String group = prefix + "group";
    TransactionalLoopTest.createTopics(kafka, topic);
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> lastStepOn = new AtomicReference<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    ConsumerLoop<String, String> loop =
        ConsumerLoop.builder(
                "test-last-step",
                new KafkaConsumer<>(
                    Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                    new StringDeserializer(),
                    new StringDeserializer()))
            .setUp(c -> assignAllFromEnd(c, topic))
            .onBatch(
                batch -> {
                  inHandler.countDown();
                  release.await();
                })
            .beforeClose(
                c -> {
                  c.commitSync(Map.of(tp, new OffsetAndMetadata(42)));
                  lastStepOn.set(Thread.currentThread().getName());
                })
            .build()
            .startAndAwaitSetUp(Duration.ofSeconds(30));
    TransactionalLoopTest.send(kafka, topic, 20);
    assertTrue(inHandler.await(20, TimeUnit.SECONDS));
    Thread closer = new Thread(loop::close);
    closer.start();
    // close() has woken the consumer once it waits for the loop thread: the wake-up is pending.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    closer.join(20_000);
    assertEquals("test-last-step", lastStepOn.get());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertEquals(
          42,
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(tp)
              .offset());
    }
  }

  private static KafkaConsumer<String, String> consumer(TestKafka kafka) {
    return new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringDeserializer(),
        new StringDeserializer());
  }

  static void assignAllFromEnd(
      org.apache.kafka.clients.consumer.Consumer<String, String> c, String topic) {
    List<TopicPartition> all =
        c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    c.assign(all);
    c.seekToEnd(all);
    all.forEach(c::position);
  }
}
