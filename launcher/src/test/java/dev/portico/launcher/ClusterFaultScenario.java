package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.contracts.Topics;
import dev.portico.kafka.embedded.ChildProcessKafkaCluster;
import dev.portico.testing.FreePorts;
import dev.portico.testing.TestKafkaCluster;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The suite on a real 3-broker cluster under faults. What runs: three KRaft brokers as child
 * processes (replication factor 3, {@code min.insync.replicas} 2, transaction state replicated the
 * same way; {@link TestKafkaCluster}), two replicas of each of the five services as child processes
 * ({@link ServiceReplicas}), and {@link #CLIENTS} clients writing with retries and Idempotency-Keys
 * through both edges ({@link WriteLoad}). Under that load the broker that leads the most commands
 * partitions is killed with SIGKILL, then one customer-service replica. Afterwards: every
 * acknowledged write is in its item exactly once, the change stream holds exactly one record per
 * acknowledged write in per-item order, after each fault writes were answered again within {@link
 * #ANSWERED_AGAIN_WITHIN}, and an alarm on the lost broker went to ALARM and back to OK with each
 * change emailed exactly once ({@link FaultAlarm}, GreenMail). A replica that exits by itself is
 * restarted, as an orchestrator would; the restarts are printed with the figures. The figures
 * (longest time without an acknowledged write, latency of the writes sent during each fault) are
 * printed for BENCHMARKS.md.
 *
 * <p>Subclasses say how the services reach Kafka (PLAINTEXT, or a secured listener on every
 * broker).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterFaultScenario {
  static final int CLIENTS = 12;
  static final int ITEMS = 40;

  /** Writes acknowledged before the first fault, and sent after each fault before the next. */
  static final int WRITES_PER_PHASE = 1_500;

  /** The bound the issue asks for: writes are answered again within this after each fault. */
  static final Duration ANSWERED_AGAIN_WITHIN = Duration.ofSeconds(60);

  /**
   * The brokers' data and logs ({@code kafka/node-N/broker.log}) and each replica's log and state,
   * kept after the run (under the module's target) so that a failure can be diagnosed; wiped when
   * the test starts again.
   */
  final Path dir = Path.of("target", "cluster-fault", getClass().getSimpleName()).toAbsolutePath();

  ChildProcessKafkaCluster kafka;
  ServiceReplicas services;
  GreenMail mail;

  /** Starts the brokers, with a secured listener each if the variant wants one. */
  abstract ChildProcessKafkaCluster startCluster(Path dir);

  /** The PORTICO_KAFKA_* variables every service gets to reach {@code cluster}. */
  abstract Map<String, String> kafkaVariables(ChildProcessKafkaCluster cluster);

  /** What the figures are of, e.g. "PLAINTEXT". */
  abstract String variant();

  @BeforeAll
  @Timeout(600) // thirteen JVMs start on the shared cores
  void startClusterAndServices() throws Exception {
    deleteRecursively(dir);
    Files.createDirectories(dir);
    System.out.println("cluster fault test: logs in " + dir);
    mail = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    kafka = startCluster(dir.resolve("kafka"));
    Map<String, String> common = new HashMap<>(kafkaVariables(kafka));
    common.put("PORTICO_TOPIC_PREFIX", "cf.");
    common.put("PORTICO_TOPIC_REPLICATION", "3");
    common.put("PORTICO_SMTP_HOST", "127.0.0.1");
    common.put("PORTICO_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
    services = new ServiceReplicas(common, dir); // assigned first: @AfterAll stops what started
    services.startAll();
  }

  @AfterAll
  @Timeout(300)
  void stopEverything() {
    try {
      if (services != null) {
        services.close();
      }
    } finally {
      try {
        if (kafka != null) {
          kafka.close();
        }
      } finally {
        if (mail != null) {
          mail.stop();
        }
      }
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void shouldLoseAndDuplicateNothingWhenTheCommandsLeaderAndACustomerReplicaAreKilled()
      throws Exception {
    String commands = Topics.CUSTOMER_COMMANDS.name("cf.");
    FaultAlarm alarm =
        new FaultAlarm(
            services.replica("alarm-service-0").url(""),
            services.replica("metrics-service-1").url(""),
            mail);
    alarm.create();
    try (WriteLoad load = new WriteLoad(services.edgeUrls(), CLIENTS, ITEMS);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long loadStart = System.nanoTime();
      load.start();
      awaitAcknowledged(load, loadStart);

      int leader = busiestLeader(admin, commands);
      long brokerKilled = System.nanoTime();
      int reportsAccepted;
      try (FaultAlarm.Reporting monitor = alarm.reportBrokerLost()) {
        kafka.node(leader).kill();
        awaitAcknowledged(load, brokerKilled);
        assertFalse(kafka.node(leader).isAlive());
        for (TopicPartitionInfo partition : partitions(admin, commands)) {
          assertTrue(partition.leader().id() != leader, "a surviving broker leads " + partition);
        }
        reportsAccepted = monitor.accepted();
      }
      assertTrue(reportsAccepted > 0, "metrics-service took the monitor's reports");

      long replicaKilled = System.nanoTime();
      services.kill("customer-service-0");
      awaitAcknowledged(load, replicaKilled);
      long loadEnd = System.nanoTime();

      assertTrue(load.finish(Duration.ofSeconds(120)), "every write in flight was answered");
      assertEquals(Map.of(), load.clientErrors(), "no 4xx: every failure was retried and healed");
      List<WriteLoad.Write> writes = load.acknowledged();

      Phase before = new Phase("before the faults", loadStart, brokerKilled, writes);
      Phase brokerFault =
          new Phase(
              "broker " + leader + " killed (leads commands)", brokerKilled, replicaKilled, writes);
      Phase replicaFault =
          new Phase("customer-service replica killed", replicaKilled, loadEnd, writes);
      for (Phase fault : List.of(brokerFault, replicaFault)) {
        assertTrue(
            fault.longestWithoutAck().compareTo(ANSWERED_AGAIN_WITHIN) <= 0,
            fault.name
                + ": writes were answered again within "
                + ANSWERED_AGAIN_WITHIN
                + "; "
                + fault);
      }
      System.out.printf(
          "cluster faults (%s, %d clients, %d writes):%n  %s%n  %s%n  %s%n"
              + "  replicas restarted after exiting by themselves: %s%n",
          variant(),
          CLIENTS,
          writes.size(),
          before,
          brokerFault,
          replicaFault,
          services.restarts().isEmpty() ? "none" : services.restarts());

      assertEveryWriteOnceInItsItem(writes);
      assertOneChangeRecordPerWrite(writes);
    }
    alarm.assertEachChangeMailedOnce();
  }

  /** Waits until {@link #WRITES_PER_PHASE} writes sent since {@code since} were acknowledged. */
  private static void awaitAcknowledged(WriteLoad load, long since) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(300))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> load.acknowledgedSentAfter(since) >= WRITES_PER_PHASE);
  }

  /** The broker leading the most partitions of {@code topic}. */
  private static int busiestLeader(Admin admin, String topic) throws Exception {
    Map<Integer, Integer> led = new HashMap<>();
    partitions(admin, topic).forEach(p -> led.merge(p.leader().id(), 1, Integer::sum));
    return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static List<TopicPartitionInfo> partitions(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
  }

  private void assertEveryWriteOnceInItsItem(List<WriteLoad.Write> writes) throws Exception {
    String edge = services.edgeUrls().get(1);
    Map<String, Integer> perItem = new HashMap<>();
    writes.forEach(w -> perItem.merge(w.item(), 1, Integer::sum));
    for (int k = 0; k < ITEMS; k++) {
      HttpResponse<String> item = Http.get(edge + "/prod/customer/" + WriteLoad.item(k));
      assertEquals(200, item.statusCode(), item.body());
      assertEquals(
          perItem.get(WriteLoad.item(k)).intValue(),
          FirstRequestEndToEndTest.json(item.body()).get("counter").asInt(),
          WriteLoad.item(k) + ": every acknowledged write counted once");
    }
  }

  private void assertOneChangeRecordPerWrite(List<WriteLoad.Write> writes) throws Exception {
    Map<String, Integer> perItem = new HashMap<>();
    writes.forEach(w -> perItem.merge(w.item(), 1, Integer::sum));
    try (ChangeStream stream =
        new ChangeStream(kafka.bootstrapServers(), Topics.CUSTOMER_CHANGES.name("cf."))) {
      List<JsonNode> records = stream.awaitRecords(writes.size());
      assertEquals(writes.size(), records.size(), "one change record per acknowledged write");
      Map<String, List<Integer>> counters = new HashMap<>();
      for (JsonNode record : records) {
        counters
            .computeIfAbsent(
                record.at("/dynamodb/Keys/customer_id").asText(), id -> new ArrayList<>())
            .add(record.at("/dynamodb/NewImage/counter").asInt());
      }
      assertEquals(perItem.keySet(), counters.keySet());
      counters.forEach(
          (item, values) -> {
            List<Integer> oneToN = new ArrayList<>();
            for (int n = 1; n <= perItem.get(item); n++) {
              oneToN.add(n);
            }
            assertEquals(oneToN, values, item + ": each update once, in order");
          });
    }
  }

  /**
   * The writes first sent in {@code [from, to)}: their latency (first send to acknowledgement,
   * retries included) and the longest time from {@code from} on without any write acknowledged.
   */
  static final class Phase {
    final String name;
    final long from;
    final long to;
    final List<Long> latencies;
    final long longestWithoutAck;

    Phase(String name, long from, long to, List<WriteLoad.Write> writes) {
      this.name = name;
      this.from = from;
      this.to = to;
      this.latencies =
          writes.stream()
              .filter(w -> w.sentNanos() >= from && w.sentNanos() < to)
              .map(WriteLoad.Write::latencyNanos)
              .sorted()
              .toList();
      List<Long> acks =
          writes.stream()
              .map(WriteLoad.Write::ackNanos)
              .filter(t -> t >= from && t < to)
              .sorted(Comparator.naturalOrder())
              .toList();
      long previous = from;
      long longest = 0;
      for (long ack : acks) {
        longest = Math.max(longest, ack - previous);
        previous = ack;
      }
      this.longestWithoutAck = Math.max(longest, to - previous);
    }

    Duration longestWithoutAck() {
      return Duration.ofNanos(longestWithoutAck);
    }

    private long percentile(double p) {
      return latencies.get(
          Math.min(latencies.size() - 1, (int) Math.ceil(p * latencies.size()) - 1));
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s: %d writes in %.1f s, longest without an acknowledged write %.1f s,"
              + " latency p50 %d ms, p99 %d ms, max %d ms",
          name,
          latencies.size(),
          (to - from) / 1e9,
          longestWithoutAck / 1e9,
          TimeUnit.NANOSECONDS.toMillis(percentile(0.50)),
          TimeUnit.NANOSECONDS.toMillis(percentile(0.99)),
          TimeUnit.NANOSECONDS.toMillis(latencies.get(latencies.size() - 1)));
    }
  }
}
