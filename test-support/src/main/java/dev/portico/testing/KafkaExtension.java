package dev.portico.testing;

import dev.portico.kafka.embedded.BrokerSettings;
import dev.portico.kafka.embedded.InProcessKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one real Kafka broker per test JVM, started on first use and stopped when the JVM's
 * tests are done. By default an in-process KRaft broker on free loopback ports; with {@code
 * -Dportico.test.kafka=testcontainers} (and a Docker engine) Testcontainers' Kafka instead. Inject
 * it as a {@link TestKafka} parameter.
 *
 * <p>A test that uses the broker is an integration test and must carry the JUnit tag {@value
 * #INTEGRATION}: the build runs those with failsafe ({@code mvn verify}) and keeps {@code mvn test}
 * to broker-free unit tests. An untagged test asking for the broker fails, naming the fix.
 */
public final class KafkaExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  /** The JUnit tag of the tests the build runs as integration tests. */
  public static final String INTEGRATION = "integration";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (!context.getTags().contains(INTEGRATION)) {
      throw new ParameterResolutionException(
          context.getRequiredTestClass().getName()
              + " uses the test Kafka broker: tag it @Tag(\""
              + INTEGRATION
              + "\") so that it runs with the integration tests (failsafe, mvn verify), not with"
              + " the unit tests (mvn test)");
    }
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", key -> startBroker(), SharedBroker.class);
  }

  private static SharedBroker startBroker() {
    if ("testcontainers".equals(System.getProperty("portico.test.kafka"))) {
      var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.3.1");
      container.start();
      return new SharedBroker(container.getBootstrapServers(), container::stop);
    }
    try {
      var dir = Files.createTempDirectory("portico-test-kafka");
      var settings =
          new BrokerSettings("127.0.0.1", FreePorts.next(), FreePorts.next(), dir, Map.of());
      InProcessKafkaBroker broker = InProcessKafkaBroker.start(settings);
      return new SharedBroker(broker.bootstrapServers(), broker::close);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The broker, closed by JUnit when the root context closes. */
  static final class SharedBroker implements TestKafka, AutoCloseable {
    private final String bootstrap;
    private final Runnable stop;

    SharedBroker(String bootstrap, Runnable stop) {
      this.bootstrap = bootstrap;
      this.stop = stop;
    }

    @Override
    public String bootstrapServers() {
      return bootstrap;
    }

    @Override
    public void close() {
      stop.run();
    }
  }
}
