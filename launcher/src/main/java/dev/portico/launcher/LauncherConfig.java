package dev.portico.launcher;

import dev.portico.kafka.embedded.BrokerSettings;
import dev.portico.kafka.embedded.ChildProcessKafkaBroker;
import dev.portico.runtime.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The launcher's own settings; every service reads its own from the same environment.
 *
 * @param dataDir {@code PORTICO_DATA_DIR} (./data): broker data and service state live below it
 * @param embeddedKafka {@code PORTICO_EMBEDDED_KAFKA} (true): start a broker, or use {@code
 *     PORTICO_KAFKA_BOOTSTRAP}
 * @param brokerPort {@code PORTICO_BROKER_PORT} (9092)
 * @param controllerPort {@code PORTICO_BROKER_CONTROLLER_PORT} (9093)
 * @param brokerHeap {@code PORTICO_BROKER_HEAP} (256m): the broker JVM's -Xmx; a single node's live
 *     heap is about 90 MiB after the write load, and G1 grows a larger limit for nothing
 * @param brokerStartTimeout {@code PORTICO_BROKER_START_TIMEOUT_MS} (60000): how long the broker
 *     may take to start (recovering logs after a crash, on a loaded machine)
 */
public record LauncherConfig(
    Path dataDir,
    boolean embeddedKafka,
    int brokerPort,
    int controllerPort,
    String brokerHeap,
    Duration brokerStartTimeout) {
  private static final Pattern HEAP = Pattern.compile("\\d{1,6}[mMgG]");

  public static LauncherConfig read(ConfigReader env) {
    return new LauncherConfig(
        env.path("PORTICO_DATA_DIR", "./data"),
        env.bool("PORTICO_EMBEDDED_KAFKA", true),
        env.port("PORTICO_BROKER_PORT", BrokerSettings.DEFAULT_PORT),
        env.port("PORTICO_BROKER_CONTROLLER_PORT", BrokerSettings.DEFAULT_CONTROLLER_PORT),
        env.matching("PORTICO_BROKER_HEAP", "256m", HEAP, "a JVM heap size such as 512m or 1g"),
        env.millis(
            "PORTICO_BROKER_START_TIMEOUT_MS",
            ChildProcessKafkaBroker.DEFAULT_START_TIMEOUT,
            Duration.ofSeconds(1),
            Duration.ofHours(1)));
  }

  public BrokerSettings broker() {
    return new BrokerSettings(
        "127.0.0.1", brokerPort, controllerPort, dataDir.resolve("kafka"), Map.of());
  }
}
