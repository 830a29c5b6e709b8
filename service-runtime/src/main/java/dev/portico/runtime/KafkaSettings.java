package dev.portico.runtime;

import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import dev.portico.kit.client.KafkaAccessCheck;
import dev.portico.kit.client.KafkaClientEnvironment;
import dev.portico.kit.client.KafkaClientProperties;
import dev.portico.kit.client.KafkaSettingException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where Kafka is, how every client reaches it (TLS, SASL, anything passed through), and how this
 * deployment names and sizes its topics; shared by every service.
 *
 * @param bootstrap {@code PORTICO_KAFKA_BOOTSTRAP}, else the properties file's {@code
 *     bootstrap.servers}, else {@code 127.0.0.1:9092}
 * @param topicPrefix {@code PORTICO_TOPIC_PREFIX}, prepended to every registry topic
 * @param partitions {@code PORTICO_TOPIC_PARTITIONS}, for topics Portico creates
 * @param replication {@code PORTICO_TOPIC_REPLICATION}, for topics Portico creates
 * @param maxMessageBytes {@code PORTICO_KAFKA_MAX_MESSAGE_BYTES} (1 MiB, Kafka's default): the
 *     largest record Portico writes where a request decides the size (the edge's request events):
 *     its producer's {@code max.request.size}, and the {@code max.message.bytes} of the topics
 *     Portico creates
 * @param client the security and pass-through properties of every client ({@link
 *     KafkaClientEnvironment}); its {@code toString} hides secrets
 */
public record KafkaSettings(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replication,
    int maxMessageBytes,
    KafkaClientProperties client) {
  private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");
  private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  /** How long the first contact may take before Kafka counts as unreachable (not refusing). */
  private static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(15);

  /** Kafka's own default {@code max.request.size}. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  /** Plain connections with Kafka's client defaults. */
  public KafkaSettings(
      String bootstrap,
      String topicPrefix,
      int partitions,
      short replication,
      int maxMessageBytes) {
    this(
        bootstrap,
        topicPrefix,
        partitions,
        replication,
        maxMessageBytes,
        KafkaClientProperties.plain());
  }

  /**
   * @throws ConfigException naming the variable when a value, or a combination, cannot be used
   */
  public static KafkaSettings read(ConfigReader env) {
    KafkaClientProperties client;
    env.noteRead(KafkaClientEnvironment.OWN_VARIABLES);
    try {
      client = KafkaClientEnvironment.read(env.withPrefix(KafkaClientEnvironment.PREFIX));
    } catch (KafkaSettingException e) {
      throw new ConfigException(e.getMessage());
    }
    return new KafkaSettings(
        env.hostPorts(
            KafkaClientEnvironment.BOOTSTRAP, client.fileBootstrap().orElse(DEFAULT_BOOTSTRAP)),
        env.matching(
            "PORTICO_TOPIC_PREFIX",
            Topics.DEFAULT_PREFIX,
            TOPIC_PREFIX,
            "up to 100 of A-Z a-z 0-9 . _ -"),
        env.integer("PORTICO_TOPIC_PARTITIONS", 4, 1, 10_000),
        (short) env.integer("PORTICO_TOPIC_REPLICATION", 1, 1, 32),
        env.integer(
            KafkaClientEnvironment.MAX_MESSAGE_BYTES,
            DEFAULT_MAX_MESSAGE_BYTES,
            16 * 1024,
            16 * 1024 * 1024),
        client);
  }

  public String topic(Topic<?> topic) {
    return topic.name(topicPrefix);
  }

  /** Client properties every Kafka client of Portico starts from. */
  public Map<String, Object> clientProperties(String clientId) {
    Map<String, Object> props = client.toMap();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  /**
   * The properties a Kafka Streams application starts from (Streams passes them to its clients).
   */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.putAll(client.asMap());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  /**
   * Contacts Kafka once with these settings (blocking, at most a few seconds), so that a refused
   * password or an untrusted certificate stops start-up instead of being retried for ever. Plain
   * connections are not checked: nothing in them can be refused.
   *
   * @throws KafkaSettingException naming the setting Kafka refused
   */
  public void verifyAccess(String clientId) {
    if (client.secured()) {
      KafkaAccessCheck.verify(
          clientProperties(clientId + "-access-check"), client, ACCESS_CHECK_TIMEOUT);
    }
  }
}
