package dev.portico.kit.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The first contact with Kafka at start-up, bounded in time. Kafka's clients retry a refused login
 * or TLS handshake without end in some paths (a consumer's poll, a Streams thread); asking for the
 * cluster id once, with a deadline, turns a wrong password or an untrusted certificate into a
 * refusal that names the setting, before anything else starts. Kafka that does not answer is no
 * settings problem: the caller goes on and reports it through readiness.
 */
public final class KafkaAccessCheck {
  /** How the first contact went, when Kafka did not refuse the settings. */
  public enum Outcome {
    /** Kafka answered with its cluster id. */
    REACHED,
    /** No answer within the time given; nothing said about the settings. */
    UNREACHABLE
  }

  private KafkaAccessCheck() {}

  /**
   * Connects with {@code clientProperties} (the deployment's {@code settings} plus bootstrap
   * servers and a client id) and asks for the cluster id, waiting at most {@code timeout}.
   *
   * @throws KafkaSettingException when Kafka, or the OAuth token endpoint, refused the settings
   */
  public static Outcome verify(
      Map<String, Object> clientProperties, KafkaClientProperties settings, Duration timeout) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    int millis = (int) timeout.toMillis();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (RuntimeException e) {
      // A client is created without a connection: only its settings (or a login) can fail it.
      throw new KafkaSettingException(
          AuthenticationFailures.explain(e, settings)
              .orElse(
                  "Cannot create a Kafka client with these settings "
                      + settings
                      + ": "
                      + AuthenticationFailures.reasons(e)));
    }
    try (admin) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .clusterId()
          .get(millis + 1_000L, TimeUnit.MILLISECONDS);
      return Outcome.REACHED;
    } catch (ExecutionException e) {
      AuthenticationFailures.explain(e.getCause(), settings)
          .ifPresent(
              message -> {
                throw new KafkaSettingException(message);
              });
      return Outcome.UNREACHABLE;
    } catch (TimeoutException e) {
      return Outcome.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.UNREACHABLE;
    }
  }

  /** What a failure seen later (by a running client) says about the settings, if anything. */
  public static java.util.Optional<String> explain(
      Throwable failure, KafkaClientProperties settings) {
    return AuthenticationFailures.explain(failure, settings);
  }
}
