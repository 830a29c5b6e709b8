package dev.portico.example;

import dev.portico.function.PorticoFunction;
import dev.portico.kit.client.KafkaSettingException;

/**
 * The example function as a program: serves {@code GET /hello/{name}} requests from {@code
 * PORTICO_FUNCTION_TOPIC} until Ctrl-C or SIGTERM.
 *
 * <p>Environment: {@code PORTICO_KAFKA_BOOTSTRAP} (default {@code localhost:9092}) and the other
 * {@code PORTICO_KAFKA_*} connection settings of the services (TLS, SASL, properties file), {@code
 * PORTICO_FUNCTION_TOPIC} (default {@code portico.fn.hello}), {@code PORTICO_FUNCTION_INSTANCE} (a
 * stable id per replica; default random), {@code PORTICO_TOPIC_PARTITIONS} and {@code
 * PORTICO_TOPIC_REPLICATION} (used to create the topic when it is missing; default 4 and 1), {@code
 * PORTICO_FUNCTION_METRICS_PORT} and {@code PORTICO_FUNCTION_METRICS_HOST} (serve {@code GET
 * /metrics}; default off).
 */
public final class HelloFunction {
  private HelloFunction() {}

  public static void main(String[] args) {
    HelloHandler hello = new HelloHandler();
    try {
      PorticoFunction.builder()
          .bootstrapServers("localhost:9092")
          .kafkaFromEnvironment(System.getenv())
          .metricsFromEnvironment(System.getenv())
          .topic(env("PORTICO_FUNCTION_TOPIC", "portico.fn.hello"))
          .groupId("hello-function")
          .instanceId(env("PORTICO_FUNCTION_INSTANCE", ""))
          .createTopicIfMissing(
              Integer.parseInt(env("PORTICO_TOPIC_PARTITIONS", "4")),
              Short.parseShort(env("PORTICO_TOPIC_REPLICATION", "1")))
          .handler((request, context) -> hello.handle(request))
          .build()
          .run();
    } catch (KafkaSettingException e) {
      // A setting that cannot work, or that Kafka refused: the message names the variable.
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
