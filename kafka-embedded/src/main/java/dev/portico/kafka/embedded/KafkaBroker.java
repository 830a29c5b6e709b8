package dev.portico.kafka.embedded;

/** A running Kafka broker that this process started. */
public interface KafkaBroker extends AutoCloseable {
  String bootstrapServers();

  /** Stops the broker cleanly; its data stays for the next start. */
  @Override
  void close();
}
