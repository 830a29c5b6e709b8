package dev.portico.function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The function SDK against a real broker, with the test acting as the edge. */
@ExtendWith(KafkaExtension.class)
@Timeout(120)
@Tag("integration")
class PorticoFunctionTest {
  TestEdge edge;
  PorticoFunction function;

  @BeforeEach
  void createTopics(TestKafka kafka) {
    edge = new TestEdge(kafka);
  }

  @AfterEach
  void stop() {
    if (function != null) {
      function.close();
    }
    edge.close();
  }

  /** Greets, and records each greeting on the audit topic in the same transaction. */
  FunctionHandler greeter(List<String> calls) {
    return (request, context) -> {
      String name = request.pathParameters().get("name");
      calls.add(name);
      if (name.startsWith("boom")) {
        throw new IllegalStateException("the handler failed on purpose");
      }
      context.send(edge.auditTopic, name, "greeted " + name);
      return FunctionResponse.json(200, "{\"message\":\"Hello, " + name + "!\"}", Map.of());
    };
  }

  @Test
  void aRequestEventShouldGetACorrectlyAddressedReply() {
    function = edge.function("fn-reply", greeter(new CopyOnWriteArrayList<>())).build().start();
    edge.request("ada");

    ConsumerRecord<String, byte[]> reply = edge.awaitReplies(1).get(0);
    assertEquals(edge.replyTopic, reply.topic());
    assertEquals(TestEdge.REPLY_PARTITION, reply.partition());
    assertEquals("ada", reply.key());
    assertEquals("ada", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.CORRELATION_ID));
    assertEquals("ada", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.EVENT_ID));
    assertEquals(
        "FunctionResponse", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.EVENT_TYPE));
    assertEquals("1", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.SCHEMA_VERSION));
    FunctionResponse response = TestEdge.response(reply);
    assertEquals(200, response.statusCode());
    assertEquals("{\"message\":\"Hello, ada!\"}", response.body());
    assertEquals("application/json", response.headers().get("content-type"));
  }

  @Test
  void handlerRecordsCommitWithTheReplyAndAFailingHandlerAnswers500AndServesOn() {
    List<String> calls = new CopyOnWriteArrayList<>();
    function = edge.function("fn-commit", greeter(calls)).build().start();
    edge.request("ada");
    edge.request("boom");
    edge.request("bob");

    Map<String, Integer> statuses = TestEdge.statuses(edge.awaitReplies(3));
    assertEquals(Map.of("ada", 200, "boom", 500, "bob", 200), statuses);
    ConsumerRecord<String, byte[]> failed =
        edge.awaitReplies(3).stream()
            .filter(r -> TestEdge.correlationId(r).equals("boom"))
            .findFirst()
            .orElseThrow();
    assertEquals("{\"message\":\"Internal server error\"}", TestEdge.response(failed).body());
    // The failed call's records are discarded; the others commit with their replies.
    assertEquals(Set.of("ada", "bob"), keys(edge.awaitAudit(2)));
    await().until(() -> function.counters().requests() == 3);
    Counters counters = function.counters();
    assertEquals(1, counters.handlerErrors());
    assertEquals(3, counters.replies());
    assertEquals(2, counters.records());
  }

  @Test
  void aKafkaErrorAbortsTheTransactionAndTheRequestsAreServedAgainExactlyOnce() {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    List<String> calls = new CopyOnWriteArrayList<>();
    FunctionHandler greeter = greeter(calls);
    FunctionHandler handler =
        (request, context) -> {
          if (request.pathParameters().get("name").equals("flaky") && failOnce.getAndSet(false)) {
            // No such topic (and no auto-creation): Kafka fails the transaction.
            context.send(edge.functionTopic + ".missing", "flaky", "lost");
          }
          return greeter.handle(request, context);
        };
    edge.request("ada");
    edge.request("flaky");
    edge.request("bob");
    function =
        edge.function("fn-abort", handler)
            .producerProperty("max.block.ms", 2_000)
            .maxTransactionTime(Duration.ofSeconds(10))
            .build()
            .start();

    await().atMost(Duration.ofSeconds(60)).until(() -> function.counters().requests() == 3);
    assertTrue(function.counters().abortedTransactions() >= 1);
    assertTrue(calls.size() > 3, "the aborted requests ran again: " + calls);
    function.close();
    assertEquals(
        Map.of("ada", 200, "flaky", 200, "bob", 200), TestEdge.statuses(edge.allReplies()));
    assertEquals(List.of("ada", "bob", "flaky"), sortedKeys(edge.allAudit()));
  }

  @Test
  void aMalformedEventShouldBeAnswered400() {
    function = edge.function("fn-malformed", greeter(new CopyOnWriteArrayList<>())).build().start();
    edge.send(
        "x",
        "this is not json".getBytes(StandardCharsets.UTF_8),
        Events.headers(
            "bad", edge.replyTopic, TestEdge.REPLY_PARTITION, System.currentTimeMillis() + 60_000));
    edge.request("ada");

    List<ConsumerRecord<String, byte[]>> replies = edge.awaitReplies(2);
    assertEquals(Map.of("bad", 400, "ada", 200), TestEdge.statuses(replies));
    ConsumerRecord<String, byte[]> bad =
        replies.stream().filter(r -> r.key().equals("bad")).findFirst().orElseThrow();
    assertEquals("{\"message\":\"Malformed request event\"}", TestEdge.response(bad).body());
    await().until(() -> function.counters().malformed() == 1);
  }

  @Test
  void aReplyToAPartitionTheTopicLacksIsDroppedAndServingGoesOn() {
    List<String> calls = new CopyOnWriteArrayList<>();
    function = edge.function("fn-nowhere", greeter(calls)).build().start();
    edge.send(
        "nowhere",
        Events.requestBytes("nowhere"),
        Events.headers("nowhere", edge.replyTopic, 7, System.currentTimeMillis() + 60_000));
    edge.request("ada");

    edge.awaitReplies(1);
    await().until(() -> function.counters().requests() == 2);
    function.close();
    assertEquals(List.of("ada", "nowhere"), calls.stream().sorted().toList());
    assertEquals(Map.of("ada", 200), TestEdge.statuses(edge.allReplies()));
    assertEquals(List.of("ada", "nowhere"), sortedKeys(edge.allAudit()), "the work was done");
  }

  @Test
  void anExpiredRequestShouldNotReachTheHandler() {
    List<String> calls = new CopyOnWriteArrayList<>();
    function = edge.function("fn-expired", greeter(calls)).build().start();
    edge.send(
        "late",
        Events.requestBytes("late"),
        Events.headers(
            "late", edge.replyTopic, TestEdge.REPLY_PARTITION, System.currentTimeMillis() - 1));
    edge.request("ada");

    edge.awaitReplies(1);
    await().until(() -> function.counters().requests() == 2);
    assertEquals(List.of("ada"), calls);
    assertEquals(1, function.counters().expired());
    function.close();
    assertEquals(Map.of("ada", 200), TestEdge.statuses(edge.allReplies()));
  }

  @Test
  void everyRequestIsAnsweredExactlyOnceAcrossARestart() {
    int total = 300;
    List<String> calls = new CopyOnWriteArrayList<>();
    FunctionHandler greeter = greeter(calls);
    for (int i = 0; i < total; i++) {
      edge.request("user-" + i);
    }
    // The first instance stops itself at its 60th request: mid-stream, whatever the machine's
    // speed (small polls, so the transaction it finishes holds few more).
    AtomicReference<PorticoFunction> self = new AtomicReference<>();
    AtomicInteger firstCalls = new AtomicInteger();
    FunctionHandler stopsAt60 =
        (request, context) -> {
          if (firstCalls.incrementAndGet() == 60) {
            self.get().close();
          }
          return greeter.handle(request, context);
        };
    PorticoFunction first =
        edge.function("fn-restart", stopsAt60)
            .instanceId("a")
            .consumerProperty("max.poll.records", 20)
            .build();
    self.set(first);
    first.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !first.isRunning());
    first.close();
    long servedByFirst = first.counters().requests();
    assertTrue(
        servedByFirst >= 60 && servedByFirst < total,
        "the first instance stopped mid-stream: " + servedByFirst);

    function = edge.function("fn-restart", greeter).instanceId("b").build().start();
    edge.awaitReplies(total);
    await().until(() -> function.counters().requests() == total - servedByFirst);
    function.close();

    assertExactlyOnce(total);
  }

  @Test
  void aZombieInstanceIsFencedAndItsOpenTransactionNeverSeen() throws Exception {
    int total = 200;
    var release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger zombieCalls = new AtomicInteger();
    FunctionHandler greeter = greeter(new CopyOnWriteArrayList<>());
    FunctionHandler hangs =
        (request, context) -> {
          if (zombieCalls.incrementAndGet() == 80) {
            release.await(); // hangs mid-transaction, like a process stuck in a long GC pause
          }
          return greeter.handle(request, context);
        };
    for (int i = 0; i < total; i++) {
      edge.request("user-" + i);
    }
    PorticoFunction zombie =
        edge.function("fn-zombie", hangs)
            .instanceId("a")
            // The group gives up on a member that stops polling after this long.
            .consumerProperty("max.poll.interval.ms", 3_000)
            .build()
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> zombieCalls.get() >= 80);

    // Same instance id: its initTransactions fences the zombie and aborts its open transaction.
    function = edge.function("fn-zombie", greeter).instanceId("a").build().start();
    edge.awaitReplies(total);
    release.countDown();
    await().atMost(Duration.ofSeconds(60)).until(() -> !zombie.isRunning());
    assertTrue(zombie.failure().isPresent(), "the zombie stopped on its fencing");
    function.close();

    assertExactlyOnce(total);
  }

  /** Every request user-0..user-(total-1) has one 200 reply and one audit record, no more. */
  private void assertExactlyOnce(int total) {
    Map<String, Integer> statuses = TestEdge.statuses(edge.allReplies());
    assertEquals(total, statuses.size());
    assertTrue(statuses.values().stream().allMatch(status -> status == 200), statuses.toString());
    List<String> audited = sortedKeys(edge.allAudit());
    assertEquals(total, audited.size(), "no audit record twice");
    assertEquals(total, Set.copyOf(audited).size());
  }

  private static Set<String> keys(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
  }

  private static List<String> sortedKeys(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(ConsumerRecord::key).sorted().toList();
  }
}
