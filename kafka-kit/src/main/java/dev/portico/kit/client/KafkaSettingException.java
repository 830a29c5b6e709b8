package dev.portico.kit.client;

/**
 * A Kafka client setting that cannot be used, or that Kafka refused at the first contact (a wrong
 * password, an untrusted certificate). The message names the variable or file that gave it and
 * never holds a secret. Stops start-up.
 */
public final class KafkaSettingException extends IllegalArgumentException {
  public KafkaSettingException(String message) {
    super(message);
  }
}
