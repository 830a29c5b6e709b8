package dev.portico.testing;

import java.util.UUID;

/** The test JVM's Kafka broker, as a test sees it. */
public interface TestKafka {
  String bootstrapServers();

  /** A topic prefix no other test uses, so tests never see each other's records. */
  default String freshPrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }
}
