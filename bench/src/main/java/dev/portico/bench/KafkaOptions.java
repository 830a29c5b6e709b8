package dev.portico.bench;

import picocli.CommandLine.Option;

/** Where the suite's Kafka is, for the scenarios that bypass the edge. */
final class KafkaOptions {
  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = "portico.")
  String prefix;

  String commandsTopic() {
    return prefix + "customers.commands";
  }

  /** A put of {@code itemJson} as the edge would publish it for {@code POST /customer}. */
  static String putEvent(String itemJson) {
    return "{\"version\":\"2.0\",\"routeKey\":\"POST /customer\",\"rawPath\":\"/prod/customer\","
        + "\"body\":\""
        + itemJson.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"isBase64Encoded\":false}";
  }
}
