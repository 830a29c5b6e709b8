package dev.portico.runtime;

import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where Kafka is and how this deployment names and sizes its topics; shared by every service.
 *
 * @param bootstrap {@code PORTICO_KAFKA_BOOTSTRAP}
 * @param topicPrefix {@code PORTICO_TOPIC_PREFIX}, prepended to every registry topic
 * @param partitions {@code PORTICO_TOPIC_PARTITIONS}, for topics Portico creates
 * @param replication {@code PORTICO_TOPIC_REPLICATION}, for topics Portico creates
 * @param maxMessageBytes {@code PORTICO_KAFKA_MAX_MESSAGE_BYTES} (1 MiB, Kafka's default): the
 *     largest record Portico writes where a request decides the size (the edge's request events):
 *     its producer's {@code max.request.size}, and the {@code max.message.bytes} of the topics
 *     Portico creates
 */
public record KafkaSettings(
    String bootstrap, String topicPrefix, int partitions, short replication, int maxMessageBytes) {
  private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");

  /** Kafka's own default {@code max.request.size}. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  public static KafkaSettings read(ConfigReader env) {
    return new KafkaSettings(
        env.hostPorts("PORTICO_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        env.matching(
            "PORTICO_TOPIC_PREFIX",
            Topics.DEFAULT_PREFIX,
            TOPIC_PREFIX,
            "up to 100 of A-Z a-z 0-9 . _ -"),
        env.integer("PORTICO_TOPIC_PARTITIONS", 4, 1, 10_000),
        (short) env.integer("PORTICO_TOPIC_REPLICATION", 1, 1, 32),
        env.integer(
            "PORTICO_KAFKA_MAX_MESSAGE_BYTES",
            DEFAULT_MAX_MESSAGE_BYTES,
            16 * 1024,
            16 * 1024 * 1024));
  }

  public String topic(Topic<?> topic) {
    return topic.name(topicPrefix);
  }

  /** Client properties every Kafka client of Portico starts from. */
  public Map<String, Object> clientProperties(String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
