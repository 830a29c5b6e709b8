package dev.portico.kit.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every property a Java Kafka client (producer, consumer or admin) of this kafka-clients version
 * accepts, with its type and validator: the vocabulary of {@code PORTICO_KAFKA_*} pass-through
 * variables and of the properties file.
 */
final class ClientConfigKeys {
  private static final Map<String, ConfigDef.ConfigKey> KEYS = new HashMap<>();

  static {
    KEYS.putAll(AdminClientConfig.configDef().configKeys());
    KEYS.putAll(ConsumerConfig.configDef().configKeys());
    KEYS.putAll(ProducerConfig.configDef().configKeys());
  }

  private ClientConfigKeys() {}

  static boolean known(String property) {
    return KEYS.containsKey(property);
  }

  /** Password-typed properties: Kafka logs them as [hidden], and so must Portico. */
  static boolean isSecret(String property) {
    ConfigDef.ConfigKey key = KEYS.get(property);
    return key != null && key.type == ConfigDef.Type.PASSWORD;
  }

  /**
   * Kafka's own check of one value (type and validator); the error in Kafka's words, without the
   * value when it is a secret.
   */
  static Optional<String> problemWith(String property, String value) {
    ConfigDef.ConfigKey key = KEYS.get(property);
    try {
      Object parsed = ConfigDef.parseType(property, value, key.type);
      if (key.validator != null) {
        key.validator.ensureValid(property, parsed);
      }
      return Optional.empty();
    } catch (ConfigException e) {
      return Optional.of(
          isSecret(property) ? "not a valid " + key.type.name().toLowerCase() : e.getMessage());
    }
  }
}
