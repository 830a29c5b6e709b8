package dev.portico.function;

import dev.portico.kit.ClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A function's settings, validated by {@link PorticoFunction.Builder}, and the Kafka client
 * properties they imply. The properties exactly-once depends on are applied last, so no override
 * can switch them off.
 *
 * @param instanceId distinguishes replicas of one function; with the group id it forms the
 *     producer's {@code transactional.id}
 * @param maxTransactionTime a transaction is committed once it has been open this long, even in the
 *     middle of a polled batch: a reply is visible only after its commit, and an open transaction
 *     holding a reply delays every later reply on that reply partition
 * @param createTopic partitions and replication to create the topic with when it is missing, or
 *     {@code null} to expect it
 * @param metricsHost the address {@code GET /metrics} listens on
 * @param metricsPort the port of {@code GET /metrics} (0: any free port), or {@code null} for none
 * @param clientOverrides properties for every client (security settings, for example)
 */
record FunctionSettings(
    String bootstrapServers,
    String topic,
    String groupId,
    String instanceId,
    Duration pollTimeout,
    Duration maxTransactionTime,
    Duration closeTimeout,
    NewTopicSpec createTopic,
    String metricsHost,
    Integer metricsPort,
    Map<String, Object> clientOverrides,
    Map<String, Object> consumerOverrides,
    Map<String, Object> producerOverrides) {

  /** Kafka's default {@code max.request.size}. */
  static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

  record NewTopicSpec(int partitions, short replicationFactor) {}

  String transactionalId() {
    return groupId + "-" + instanceId;
  }

  /** Admin client properties (topic creation). */
  Map<String, Object> adminProperties() {
    Map<String, Object> props = new HashMap<>(clientOverrides);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, transactionalId() + "-admin");
    return props;
  }

  Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>(clientOverrides);
    props.putAll(consumerOverrides);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId() + "-consumer");
    // A new group starts at the beginning: requests sent before the function's first start are
    // still served (stale ones are skipped cheaply by their deadline).
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Offsets commit inside the producer's transaction; requests of aborted transactions are never
    // acted on.
    return ClientSettings.transactionalConsumer(props, groupId);
  }

  Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>(clientOverrides);
    props.putAll(producerOverrides);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId() + "-producer");
    // A reply waits for the commit anyway; lingering would only add latency (yet a function may
    // choose to batch: its linger.ms is kept).
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    return ClientSettings.exactlyOnceProducer(props, transactionalId());
  }

  /** The producer's {@code max.request.size}: larger records would fail the transaction. */
  int maxRecordBytes() {
    Object value =
        producerOverrides.getOrDefault(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            clientOverrides.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().trim());
  }
}
