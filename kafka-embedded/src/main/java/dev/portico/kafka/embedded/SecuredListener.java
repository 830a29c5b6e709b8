package dev.portico.kafka.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A client listener that requires TLS, SASL or both, as production clusters and managed Kafka
 * services do; the broker keeps its PLAINTEXT listener beside it for inter-broker traffic and for
 * set-up on loopback. Built up from {@link #tls} or {@link #saslPlaintext}.
 *
 * @param port the listener's port
 * @param keyStore the broker's PKCS#12 key store (certificate for the host clients connect to), or
 *     null for SASL without TLS
 * @param keyStorePassword its password (also the key's)
 * @param clientTrustStore PKCS#12 trust store of the authorities that sign client certificates;
 *     when set, every client must present one (mutual TLS)
 * @param clientTrustStorePassword its password
 * @param saslMechanisms mechanisms offered: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER
 * @param users name to password: PLAIN users, and SCRAM credentials for both SCRAM mechanisms,
 *     written into the cluster's metadata when its storage is formatted (no listener needed)
 * @param oauthJwksUrl where OAUTHBEARER tokens' signing keys are published (the identity provider's
 *     JWKS endpoint), or null
 */
public record SecuredListener(
    int port,
    Path keyStore,
    String keyStorePassword,
    Path clientTrustStore,
    String clientTrustStorePassword,
    List<String> saslMechanisms,
    Map<String, String> users,
    String oauthJwksUrl) {

  /** The listener's name in the broker's configuration. */
  public static final String NAME = "SECURED";

  public SecuredListener {
    saslMechanisms = List.copyOf(saslMechanisms);
    users = Map.copyOf(users);
  }

  /** TLS with the broker's key store; no client certificates, no SASL. */
  public static SecuredListener tls(int port, Path keyStore, String password) {
    return new SecuredListener(port, keyStore, password, null, null, List.of(), Map.of(), null);
  }

  /** SASL without TLS (SASL_PLAINTEXT). */
  public static SecuredListener saslPlaintext(int port) {
    return new SecuredListener(port, null, null, null, null, List.of(), Map.of(), null);
  }

  /** Clients must present a certificate signed by an authority in {@code trustStore}. */
  public SecuredListener requireClientCertificates(Path trustStore, String password) {
    return new SecuredListener(
        port,
        keyStore,
        keyStorePassword,
        trustStore,
        password,
        saslMechanisms,
        users,
        oauthJwksUrl);
  }

  /** Offer these SASL mechanisms (SASL_SSL with a key store, SASL_PLAINTEXT without). */
  public SecuredListener sasl(String... mechanisms) {
    return new SecuredListener(
        port,
        keyStore,
        keyStorePassword,
        clientTrustStore,
        clientTrustStorePassword,
        List.of(mechanisms),
        users,
        oauthJwksUrl);
  }

  /** A PLAIN user and SCRAM credential. */
  public SecuredListener user(String name, String password) {
    Map<String, String> more = new LinkedHashMap<>(users);
    more.put(name, password);
    return new SecuredListener(
        port,
        keyStore,
        keyStorePassword,
        clientTrustStore,
        clientTrustStorePassword,
        saslMechanisms,
        more,
        oauthJwksUrl);
  }

  /** OAUTHBEARER tokens are checked against the keys published at {@code jwksUrl}. */
  public SecuredListener oauthJwks(String jwksUrl) {
    return new SecuredListener(
        port,
        keyStore,
        keyStorePassword,
        clientTrustStore,
        clientTrustStorePassword,
        saslMechanisms,
        users,
        jwksUrl);
  }

  /** SSL, SASL_SSL or SASL_PLAINTEXT. */
  public String securityProtocol() {
    if (saslMechanisms.isEmpty()) {
      return "SSL";
    }
    return keyStore == null ? "SASL_PLAINTEXT" : "SASL_SSL";
  }

  /** The broker properties of this listener, added to the rest. */
  void addTo(Properties p) {
    String prefix = "listener.name." + NAME.toLowerCase(Locale.ROOT) + ".";
    if (keyStore != null) {
      p.setProperty(prefix + "ssl.keystore.type", "PKCS12");
      p.setProperty(prefix + "ssl.keystore.location", keyStore.toString());
      p.setProperty(prefix + "ssl.keystore.password", keyStorePassword);
      p.setProperty(prefix + "ssl.key.password", keyStorePassword);
    }
    if (clientTrustStore != null) {
      p.setProperty(prefix + "ssl.client.auth", "required");
      p.setProperty(prefix + "ssl.truststore.type", "PKCS12");
      p.setProperty(prefix + "ssl.truststore.location", clientTrustStore.toString());
      p.setProperty(prefix + "ssl.truststore.password", clientTrustStorePassword);
    }
    if (saslMechanisms.isEmpty()) {
      return;
    }
    p.setProperty(prefix + "sasl.enabled.mechanisms", String.join(",", saslMechanisms));
    for (String mechanism : saslMechanisms) {
      String at = prefix + mechanism.toLowerCase(Locale.ROOT) + ".";
      switch (mechanism) {
        case "PLAIN" -> {
          StringBuilder jaas =
              new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
          users.forEach((name, password) -> jaas.append(" user_" + name + "=\"" + password + "\""));
          p.setProperty(at + "sasl.jaas.config", jaas.append(';').toString());
        }
        case "SCRAM-SHA-256", "SCRAM-SHA-512" ->
            p.setProperty(
                at + "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        case "OAUTHBEARER" -> {
          p.setProperty(
              at + "sasl.jaas.config",
              "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
          p.setProperty(
              at + "sasl.server.callback.handler.class",
              "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler");
          p.setProperty("sasl.oauthbearer.jwks.endpoint.url", oauthJwksUrl);
        }
        default -> throw new IllegalArgumentException("Unsupported SASL mechanism " + mechanism);
      }
    }
  }

  /** SCRAM credentials in {@code kafka-storage format --add-scram} form. */
  List<String> scramArguments() {
    List<String> arguments = new ArrayList<>();
    for (String mechanism : saslMechanisms) {
      if (mechanism.startsWith("SCRAM-")) {
        users.forEach(
            (name, password) ->
                arguments.add(mechanism + "=[name=" + name + ",password=" + password + "]"));
      }
    }
    return arguments;
  }
}
