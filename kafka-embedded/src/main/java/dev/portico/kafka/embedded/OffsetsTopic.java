package dev.portico.kafka.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Keeps {@code __consumer_offsets} small, so a group coordinator loads it in milliseconds.
 *
 * <p>Every exactly-once transaction of the services writes an offset commit and a commit marker
 * there. Kafka's defaults let that grow without bound: the log cleaner never compacts the active
 * 100 MiB segment, and it keeps a commit marker for {@code delete.retention.ms} (24 h) after its
 * transaction's offsets are gone. At 100 transactions a second that is 126,000 records after ten
 * minutes, 8.6 million markers a day. A coordinator reads all of them before it answers its groups,
 * and Kafka 4.3.1's coordinator runtime has a race when that takes long: after {@code kill -9} the
 * restarted node leads the partition at its old epoch, is fenced and unfenced within half a second,
 * and the completion of the superseded load marks the new, half-loaded coordinator active. The
 * members' next write finds the state machine behind the log and the coordinator reloads, again and
 * again while writes keep coming: a restart whose groups never get their partitions (seen in
 * BENCHMARKS.md's 12:12 run on 2026-12-07).
 *
 * <p>With 1 MiB segments and markers and tombstones kept for a minute, the cleaner holds each
 * partition to about the latest commit of every group and partition, plus one segment being
 * written. Only the group coordinator reads this topic, and it needs no marker whose transaction's
 * offsets are gone.
 */
final class OffsetsTopic {
  static final String NAME = "__consumer_offsets";

  /** Kafka's {@code offsets.topic.segment.bytes} default is 100 MiB; 1 MiB is its minimum. */
  static final int SEGMENT_BYTES = 1024 * 1024;

  /** Kafka's default is 24 h. */
  static final Duration MARKER_RETENTION = Duration.ofMinutes(1);

  private static final long CALL_TIMEOUT_MS = 5_000;
  private static final Duration RETRY_BACK_OFF = Duration.ofMillis(500);

  private OffsetsTopic() {}

  /**
   * Runs {@link #bound} on a thread of its own, so a start does not wait for it (creating the topic
   * takes the just-started broker most of a second), trying again while the broker is too busy to
   * answer in time, for at most {@code within}. Interrupting the thread ends it.
   *
   * @param done completed when the topic is bounded, or exceptionally with the last failure
   */
  static Thread boundInBackground(
      String bootstrap,
      int partitions,
      int replicas,
      Duration within,
      CompletableFuture<Void> done) {
    Thread thread =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + within.toNanos();
              try (Admin admin =
                  Admin.create(
                      Map.of(
                          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS,
                          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                              (int) CALL_TIMEOUT_MS))) {
                while (!done.isDone()) {
                  try {
                    bound(admin, partitions, replicas);
                    done.complete(null);
                  } catch (InterruptedException e) {
                    done.completeExceptionally(e);
                  } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                      done.completeExceptionally(e);
                    } else {
                      sleepOrFail(done);
                    }
                  }
                }
              }
            },
            "portico-offsets-topic");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void sleepOrFail(CompletableFuture<Void> done) {
    try {
      // A back-off between attempts, not a wait for a condition.
      Thread.sleep(RETRY_BACK_OFF.toMillis());
    } catch (InterruptedException e) {
      done.completeExceptionally(e);
    }
  }

  /**
   * Creates the topic with the bounded settings, or sets them on the topic a previous run (or an
   * earlier Portico) created. Kafka creates the topic itself on a group's first request, with the
   * broker's {@code offsets.topic.*} settings and no retention override: creating it here first is
   * what gives it the short marker retention from its first record.
   *
   * @param partitions the broker's {@code offsets.topic.num.partitions}
   * @param replicas the broker's {@code offsets.topic.replication.factor}
   */
  static void bound(Admin admin, int partitions, int replicas)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, String> configs =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.COMPRESSION_TYPE_CONFIG,
            "producer",
            TopicConfig.SEGMENT_BYTES_CONFIG,
            Integer.toString(SEGMENT_BYTES),
            TopicConfig.DELETE_RETENTION_MS_CONFIG,
            Long.toString(MARKER_RETENTION.toMillis()));
    try {
      admin
          .createTopics(List.of(new NewTopic(NAME, partitions, (short) replicas).configs(configs)))
          .all()
          .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, NAME);
      Config current =
          admin
              .describeConfigs(List.of(topic))
              .all()
              .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .get(topic);
      // Usually bounded already by an earlier start: then nothing is written.
      List<AlterConfigOp> set =
          configs.entrySet().stream()
              .filter(
                  c ->
                      current.get(c.getKey()) == null
                          || !c.getValue().equals(current.get(c.getKey()).value()))
              .map(
                  c ->
                      new AlterConfigOp(
                          new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
              .toList();
      if (set.isEmpty()) {
        return;
      }
      admin
          .incrementalAlterConfigs(Map.of(topic, set))
          .all()
          .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }
}
