package dev.portico.testing;

import dev.portico.kafka.embedded.BrokerSettings;
import dev.portico.kafka.embedded.InProcessKafkaBroker;
import dev.portico.kafka.embedded.SecuredListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A broker of its own for a test of secured connections: the PLAINTEXT listener for set-up and a
 * secured listener (TLS, mutual TLS, SASL) for the clients under test, on free ports.
 */
public final class SecuredTestBroker implements AutoCloseable {
  private final BrokerSettings settings;
  private final InProcessKafkaBroker broker;

  private SecuredTestBroker(BrokerSettings settings, InProcessKafkaBroker broker) {
    this.settings = settings;
    this.broker = broker;
  }

  /** Starts a broker whose secured listener {@code listener} builds for a free port. */
  public static SecuredTestBroker start(IntFunction<SecuredListener> listener) {
    try {
      Path dir = Files.createTempDirectory("portico-secured-kafka");
      BrokerSettings settings =
          new BrokerSettings("127.0.0.1", FreePorts.next(), FreePorts.next(), dir, Map.of())
              .withSecuredListener(listener.apply(FreePorts.next()));
      return new SecuredTestBroker(settings, InProcessKafkaBroker.start(settings));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PLAINTEXT listener: creating topics, checking what was written. */
  public String plainBootstrap() {
    return settings.bootstrapServers();
  }

  /** The secured listener. */
  public String securedBootstrap() {
    return settings.securedBootstrapServers();
  }

  @Override
  public void close() {
    broker.close();
  }
}
