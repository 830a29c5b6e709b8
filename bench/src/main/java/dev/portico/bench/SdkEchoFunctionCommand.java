package dev.portico.bench;

import dev.portico.contracts.FunctionResponse;
import dev.portico.function.PorticoFunction;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The echo function written with the Java function SDK (function-sdk), as bench/sdk-echo/echo.js
 * and echo.py are with the Node.js and Python SDKs: answers every request with status 200 and the
 * request's own body, exactly once through the SDK's transactions. Configured as those are, from
 * {@code PORTICO_KAFKA_*}, {@code PORTICO_FUNCTION_TOPIC}, {@code PORTICO_FUNCTION_INSTANCE},
 * {@code PORTICO_FUNCTION_METRICS_PORT}/{@code _HOST} and {@code PORTICO_TOPIC_PARTITIONS}; the
 * options win over them. For bench/run-sdk-functions.sh.
 */
@Command(
    name = "sdk-echo-function",
    mixinStandardHelpOptions = true,
    description = "Serve an echo function with the Java function SDK until stopped.")
final class SdkEchoFunctionCommand implements Callable<Integer> {
  @Option(names = "--topic", description = "Request topic (default: PORTICO_FUNCTION_TOPIC).")
  String topic;

  @Option(names = "--group", defaultValue = "bench-sdk-echo-java", description = "Consumer group.")
  String group;

  @Override
  public Integer call() {
    Map<String, String> env = System.getenv();
    String requests = topic != null ? topic : env.get("PORTICO_FUNCTION_TOPIC");
    if (requests == null || requests.isBlank()) {
      System.err.println("--topic or PORTICO_FUNCTION_TOPIC is required");
      return 2;
    }
    int partitions = Integer.parseInt(env.getOrDefault("PORTICO_TOPIC_PARTITIONS", "4"));
    PorticoFunction.builder()
        .bootstrapServers("127.0.0.1:9092")
        .kafkaFromEnvironment(env)
        .metricsFromEnvironment(env)
        .topic(requests)
        .groupId(group)
        .instanceId(env.getOrDefault("PORTICO_FUNCTION_INSTANCE", ""))
        .createTopicIfMissing(partitions, (short) 1)
        .handler(
            (request, context) ->
                new FunctionResponse(
                    200,
                    Map.of("content-type", "application/json"),
                    request.body(),
                    request.isBase64Encoded()))
        .build()
        .run();
    return 0;
  }
}
