package dev.portico.kit;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of Portico's Kafka clients by the job they do: the one place their batching and
 * fetch waits are chosen. Each method adds its settings to {@code props} (a service's own client
 * properties: bootstrap, client id) and returns it.
 *
 * <p>Why these numbers: a request someone waits for is sent at once; fan-out records go to many
 * readers and a few milliseconds of batching cut the broker's requests by a multiple; events nobody
 * waits for (the access log) are batched for a tenth of a second and compressed. A fetch parked at
 * the broker returns as soon as data arrives, so a long {@code fetch.max.wait.ms} costs a tailing
 * consumer no latency and keeps an idle one (and the broker) idle.
 */
public final class ClientSettings {
  /** A tailing consumer's longest wait at the broker: an idle one asks twice a second. */
  public static final int TAIL_FETCH_MAX_WAIT_MS = 500;

  /** A batch consumer waits for this much data... */
  public static final int BATCH_FETCH_MIN_BYTES = 64 * 1024;

  /**
   * ...or this long, whichever comes first. As long as a tail's wait: what waits here (request
   * events for metrics) closes into periods seconds later anyway, and an idle consumer asks as
   * rarely as a tailing one (at 200 ms, metrics-service's Streams consumer alone made an idle
   * broker serve 5 fetches a second per stream thread).
   */
  public static final int BATCH_FETCH_MAX_WAIT_MS = TAIL_FETCH_MAX_WAIT_MS;

  private ClientSettings() {}

  /**
   * A producer on a request's path (request events to functions, commands the API waits for): every
   * record is sent at once, acknowledged by all replicas, idempotent.
   */
  public static Map<String, Object> requestProducer(Map<String, Object> props) {
    reliable(props);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return props;
  }

  /**
   * A producer that fans records out to many readers (WebSocket channel messages): 5 ms batches.
   */
  public static Map<String, Object> fanOutProducer(Map<String, Object> props) {
    reliable(props);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return props;
  }

  /**
   * A producer of events nobody waits for (the request events metrics are made of): 100 ms batches
   * of up to 256 KiB, lz4-compressed.
   */
  public static Map<String, Object> eventProducer(Map<String, Object> props) {
    reliable(props);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 100);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return props;
  }

  /**
   * The producer of an exactly-once loop ({@link TransactionalLoop}): transactional, idempotent,
   * acknowledged by all replicas. A transaction's records are flushed at its commit anyway, so
   * lingering would only add latency: records are sent at once.
   */
  public static Map<String, Object> transactionalProducer(
      Map<String, Object> props, String transactionalId) {
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return exactlyOnceProducer(props, transactionalId);
  }

  /**
   * Only what exactly-once depends on: the transactional id, idempotence and {@code acks=all}, so
   * that an owner's chosen batching is kept (the function SDK lets a function set {@code
   * linger.ms}). Apply it last: no earlier property can switch exactly-once off.
   */
  public static Map<String, Object> exactlyOnceProducer(
      Map<String, Object> props, String transactionalId) {
    reliable(props);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /**
   * The consumer of an exactly-once loop: a member of {@code groupId} that never acts on records of
   * aborted transactions and never commits by itself (its offsets commit in the producer's
   * transaction).
   */
  public static Map<String, Object> transactionalConsumer(
      Map<String, Object> props, String groupId) {
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    return committedReader(props);
  }

  /**
   * A consumer that reads only committed records (never those of aborted transactions) and commits
   * offsets only where its owner says so (no auto-commit): replays of shared state, readers of
   * transactional topics.
   */
  public static Map<String, Object> committedReader(Map<String, Object> props) {
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /**
   * A static member of its group ({@code group.instance.id}) when {@code instanceId} is set: a
   * replica restarted after a crash takes its partitions back at once, where a dynamic member waits
   * for the dead incarnation's session to expire (45 s by default). The kit's loops leave the group
   * when they close ({@link GroupClose}), so a clean stop still hands the partitions over at once.
   * Empty: a dynamic member.
   */
  public static Map<String, Object> staticMember(Map<String, Object> props, String instanceId) {
    if (instanceId != null && !instanceId.isBlank()) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return props;
  }

  /** A consumer that follows a topic's tail and acts on each record as it comes. */
  public static Map<String, Object> tailConsumer(Map<String, Object> props) {
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, TAIL_FETCH_MAX_WAIT_MS);
    return props;
  }

  /** A consumer that works in batches (aggregation): fewer, fuller fetches. */
  public static Map<String, Object> batchConsumer(Map<String, Object> props) {
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, BATCH_FETCH_MIN_BYTES);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, BATCH_FETCH_MAX_WAIT_MS);
    return props;
  }

  private static void reliable(Map<String, Object> props) {
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }
}
