package dev.portico.runtime;

import dev.portico.contracts.Topic;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates registry topics that do not exist yet, with the registry's cleanup policy and retention
 * and the deployment's partitions and replication; when {@code PORTICO_KAFKA_MAX_MESSAGE_BYTES} is
 * above Kafka's default, also its {@code max.message.bytes}, so that the topics accept the records
 * the edge may now send. Existing topics are left as they are (an operator may have tuned them).
 * Blocking: call it from start-up code off the event loop.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** How long a topic may stay unknown to a broker after it was created. */
  static final java.time.Duration METADATA_PROPAGATION = java.time.Duration.ofSeconds(30);

  private TopicProvisioner() {}

  public static void ensure(KafkaSettings kafka, Collection<Topic<?>> topics) {
    try (Admin admin = Admin.create(kafka.clientProperties("portico-provisioner"))) {
      // Listing is answered from the broker's metadata; a creation, even of topics that all
      // exist, is a round trip to the controller. On every start after the first, nothing is
      // missing.
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> wanted =
          topics.stream()
              .map(t -> newTopic(kafka, t))
              .filter(t -> !existing.contains(t.name()))
              .toList();
      if (wanted.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(wanted).values().entrySet()) {
        try {
          entry.getValue().get();
          LOG.info("Created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "Cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot list topics: " + e.getCause().getMessage(), e);
    }
  }

  /** The names of the topics that exist now. */
  public static Set<String> existing(KafkaSettings kafka) {
    try (Admin admin = Admin.create(kafka.clientProperties("portico-provisioner"))) {
      return admin.listTopics().names().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot list topics: " + e.getCause().getMessage(), e);
    }
  }

  /**
   * The topic's partition count, as the brokers report it. On a cluster a topic just created may be
   * unknown for a moment to the broker asked (the controller has it, that broker's metadata not
   * yet): that answer is retried for {@link #METADATA_PROPAGATION}.
   */
  public static int partitionCount(KafkaSettings kafka, Topic<?> topic) {
    String name = kafka.topic(topic);
    long deadline = System.nanoTime() + METADATA_PROPAGATION.toNanos();
    try (Admin admin = Admin.create(kafka.clientProperties("portico-provisioner"))) {
      while (true) {
        try {
          return admin
              .describeTopics(List.of(name))
              .allTopicNames()
              .get()
              .get(name)
              .partitions()
              .size();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Cannot describe " + name + ": " + e.getCause().getMessage(), e);
          }
          Thread.sleep(100); // the broker's metadata catches up with the controller's
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing " + name, e);
    }
  }

  /** Sets a topic's retention to {@code retention}, whatever it was (the operator's setting). */
  public static void setRetention(
      KafkaSettings kafka, Topic<?> topic, java.time.Duration retention) {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, kafka.topic(topic));
    var op =
        new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    try (Admin admin = Admin.create(kafka.clientProperties("portico-provisioner"))) {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting retention", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot set the retention of " + kafka.topic(topic) + ": " + e.getCause().getMessage(),
          e);
    }
  }

  static NewTopic newTopic(KafkaSettings kafka, Topic<?> topic) {
    Map<String, String> configs =
        new java.util.HashMap<>(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().configValue()));
    if (kafka.maxMessageBytes() > KafkaSettings.DEFAULT_MAX_MESSAGE_BYTES) {
      // A lower setting only lowers what the edge sends; the broker's default still fits others.
      configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(kafka.maxMessageBytes()));
    }
    if (topic.retention() != null) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()));
    }
    int partitions = topic.partitions() > 0 ? topic.partitions() : kafka.partitions();
    return new NewTopic(kafka.topic(topic), partitions, kafka.replication()).configs(configs);
  }
}
