package dev.portico.kit.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * Turns a refusal by Kafka (or by the OAuth token endpoint) into a message that names the Portico
 * settings to fix. Kafka's own messages never hold the secrets, so they are quoted.
 */
final class AuthenticationFailures {
  private AuthenticationFailures() {}

  /**
   * What a failure to connect says about the settings, or empty when it is not about them (Kafka
   * unreachable, say, which /ready reports and which may pass).
   */
  static Optional<String> explain(Throwable failure, KafkaClientProperties settings) {
    List<Throwable> chain = chain(failure);
    for (Throwable t : chain) {
      if (t instanceof UnsupportedSaslMechanismException) {
        return Optional.of(
            "Kafka does not offer the SASL mechanism "
                + settings.asMap().get("sasl.mechanism")
                + " ("
                + settings.originsOf("sasl.mechanism")
                + "): "
                + reasons(t));
      }
      if (t instanceof SaslAuthenticationException) {
        return Optional.of(
            "Kafka refused the SASL credentials ("
                + settings.asMap().get("sasl.mechanism")
                + ") of "
                + orDefault(
                    settings.originsOf(
                        "sasl.jaas.config", "sasl.oauthbearer.client.credentials.client.id"),
                    "the SASL settings")
                + ": "
                + reasons(t));
      }
      if (t instanceof SslAuthenticationException) {
        return Optional.of(tlsRefusal(t, settings));
      }
      if (t instanceof AuthenticationException) {
        return Optional.of(
            "Kafka refused to authenticate this client (security protocol "
                + settings.securityProtocol()
                + ", "
                + orDefault(settings.originsOf("security.protocol"), "the default")
                + "): "
                + reasons(t));
      }
      if (t instanceof javax.security.auth.login.LoginException) {
        return Optional.of(
            "The SASL login failed before reaching Kafka (check "
                + orDefault(
                    settings.originsOf(
                        "sasl.oauthbearer.token.endpoint.url",
                        "sasl.oauthbearer.client.credentials.client.id",
                        "sasl.jaas.config"),
                    "the SASL settings")
                + "): "
                + reasons(t));
      }
    }
    return Optional.empty();
  }

  private static String tlsRefusal(Throwable t, KafkaClientProperties settings) {
    String all = reasons(t);
    String fix;
    if (all.contains("PKIX") || all.contains("unable to find valid certification path")) {
      fix =
          "the broker's certificate is not trusted by "
              + orDefault(
                  settings.originsOf("ssl.truststore.location"),
                  "the JVM's trust store (set " + KafkaClientEnvironment.TLS_CA_FILE + ")");
    } else if (all.contains("No subject alternative") || all.contains("No name matching")) {
      fix =
          "the broker's certificate does not name the host connected to (fix the certificate or"
              + " the bootstrap address; "
              + KafkaClientEnvironment.TLS_VERIFY_HOSTNAME
              + "=false turns the check off)";
    } else if (all.contains("bad_certificate")
        || all.contains("certificate_required")
        || all.contains("unknown_ca")
        || all.contains("certificate_unknown")) {
      fix =
          "the broker refused this client's certificate ("
              + orDefault(
                  settings.originsOf(
                      "ssl.keystore.certificate.chain",
                      "ssl.keystore.key",
                      "ssl.keystore.location"),
                  "none is set: "
                      + KafkaClientEnvironment.TLS_CERT_FILE
                      + ", "
                      + KafkaClientEnvironment.TLS_KEY_FILE)
              + ")";
    } else {
      fix =
          "is the listener at the bootstrap address a TLS listener ("
              + KafkaClientEnvironment.SECURITY_PROTOCOL
              + "="
              + settings.securityProtocol()
              + ")?";
    }
    return "The TLS handshake with Kafka failed: " + fix + ". " + all;
  }

  /** The distinct messages along the cause chain, outermost first. */
  static String reasons(Throwable failure) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t : chain(failure)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        messages.add(t.getMessage().trim());
      }
    }
    return messages.isEmpty() ? failure.getClass().getSimpleName() : String.join(": ", messages);
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String orDefault(String origins, String fallback) {
    return origins.isEmpty() ? fallback : origins;
  }
}
