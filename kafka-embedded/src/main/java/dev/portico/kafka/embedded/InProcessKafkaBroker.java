package dev.portico.kafka.embedded;

import java.time.Duration;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The broker inside this JVM: fastest to start (about 1 s) and what tests use. A fatal broker fault
 * calls {@code Exit.halt}, which ends the whole JVM, so long-running deployments use {@link
 * ChildProcessKafkaBroker} instead.
 */
public final class InProcessKafkaBroker implements KafkaBroker {
  private final BrokerSettings settings;
  private final KafkaRaftServer server;

  private InProcessKafkaBroker(BrokerSettings settings, KafkaRaftServer server) {
    this.settings = settings;
    this.server = server;
  }

  public static InProcessKafkaBroker start(BrokerSettings settings) {
    Storage.requirePortFree(settings.host(), settings.port(), "client");
    Storage.requirePortFree(settings.host(), settings.controllerPort(), "controller");
    if (settings.secured() != null) {
      Storage.requirePortFree(settings.host(), settings.secured().port(), "secured client");
    }
    Storage.format(settings);
    KafkaRaftServer server =
        new KafkaRaftServer(KafkaConfig.fromProps(settings.toProperties(), false), Time.SYSTEM);
    server.startup();
    try {
      Storage.awaitReady(settings.bootstrapServers(), Duration.ofSeconds(60), () -> true);
    } catch (BrokerStartException e) {
      server.shutdown();
      throw e;
    }
    return new InProcessKafkaBroker(settings, server);
  }

  @Override
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
