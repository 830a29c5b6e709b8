package dev.portico.kit.client;

import static dev.portico.kit.client.KafkaClientEnvironment.TLS_CA_FILE;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_CERT_FILE;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_KEYSTORE_FILE;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_KEYSTORE_PASSWORD;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_KEY_FILE;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_KEY_PASSWORD;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_TRUSTSTORE_FILE;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_TRUSTSTORE_PASSWORD;
import static dev.portico.kit.client.KafkaClientEnvironment.TLS_VERIFY_HOSTNAME;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * Portico's TLS variables as Kafka's {@code ssl.*} properties: the server's certificate is checked
 * against a PEM CA file, a trust store, or (neither set) the JVM's trust store, and its host name
 * too unless {@code PORTICO_KAFKA_TLS_VERIFY_HOSTNAME=false}; the client's own certificate (mutual
 * TLS) comes from PEM files or a key store. Files are checked when read, and the whole TLS set-up
 * is built once with Kafka's own SSL engine factory, so that an unreadable store or a wrong store
 * password stops start-up with the variable named, before any connection.
 */
final class TlsSettings {
  /** Receives a property set by one of Portico's own variables. */
  interface Setter {
    void set(String property, String value, String variable);
  }

  private TlsSettings() {}

  static boolean usesTls(String protocol) {
    return protocol.equals("SSL") || protocol.equals("SASL_SSL");
  }

  static void read(UnaryOperator<String> env, Setter own) {
    String ca = env.apply(TLS_CA_FILE);
    String truststore = env.apply(TLS_TRUSTSTORE_FILE);
    String truststorePassword = env.apply(TLS_TRUSTSTORE_PASSWORD);
    String cert = env.apply(TLS_CERT_FILE);
    String key = env.apply(TLS_KEY_FILE);
    String keyPassword = env.apply(TLS_KEY_PASSWORD);
    String keystore = env.apply(TLS_KEYSTORE_FILE);
    String keystorePassword = env.apply(TLS_KEYSTORE_PASSWORD);
    String verifyHostname = env.apply(TLS_VERIFY_HOSTNAME);

    if (ca != null && truststore != null) {
      throw exclusive(TLS_CA_FILE, TLS_TRUSTSTORE_FILE);
    }
    if (truststorePassword != null && truststore == null) {
      throw new KafkaSettingException(TLS_TRUSTSTORE_PASSWORD + " needs " + TLS_TRUSTSTORE_FILE);
    }
    if (keystore != null && (cert != null || key != null)) {
      throw exclusive(cert != null ? TLS_CERT_FILE : TLS_KEY_FILE, TLS_KEYSTORE_FILE);
    }
    if (keystorePassword != null && keystore == null) {
      throw new KafkaSettingException(TLS_KEYSTORE_PASSWORD + " needs " + TLS_KEYSTORE_FILE);
    }
    if (keyPassword != null && key == null && keystore == null) {
      throw new KafkaSettingException(
          TLS_KEY_PASSWORD + " needs " + TLS_KEY_FILE + " or " + TLS_KEYSTORE_FILE);
    }

    if (ca != null) {
      requirePem(TLS_CA_FILE, ca, "CERTIFICATE");
      own.set("ssl.truststore.type", "PEM", TLS_CA_FILE);
      own.set("ssl.truststore.location", ca, TLS_CA_FILE);
    }
    if (truststore != null) {
      requireReadable(TLS_TRUSTSTORE_FILE, truststore);
      own.set("ssl.truststore.type", storeType(truststore), TLS_TRUSTSTORE_FILE);
      own.set("ssl.truststore.location", truststore, TLS_TRUSTSTORE_FILE);
      if (truststorePassword != null) {
        own.set("ssl.truststore.password", truststorePassword, TLS_TRUSTSTORE_PASSWORD);
      }
    }
    if (cert != null || key != null) {
      KafkaClientEnvironment.requireTogether(TLS_CERT_FILE, cert, TLS_KEY_FILE, key);
      String chain = requirePem(TLS_CERT_FILE, cert, "CERTIFICATE");
      String privateKey = requirePrivateKey(key, keyPassword != null);
      own.set("ssl.keystore.type", "PEM", TLS_CERT_FILE);
      own.set("ssl.keystore.certificate.chain", chain, TLS_CERT_FILE);
      own.set("ssl.keystore.key", privateKey, TLS_KEY_FILE);
      if (keyPassword != null) {
        own.set("ssl.key.password", keyPassword, TLS_KEY_PASSWORD);
      }
    }
    if (keystore != null) {
      requireReadable(TLS_KEYSTORE_FILE, keystore);
      own.set("ssl.keystore.type", storeType(keystore), TLS_KEYSTORE_FILE);
      own.set("ssl.keystore.location", keystore, TLS_KEYSTORE_FILE);
      if (keystorePassword != null) {
        own.set("ssl.keystore.password", keystorePassword, TLS_KEYSTORE_PASSWORD);
      }
      if (keyPassword != null) {
        own.set("ssl.key.password", keyPassword, TLS_KEY_PASSWORD);
      }
    }
    if (verifyHostname != null) {
      boolean verify =
          switch (verifyHostname.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default ->
                throw KafkaClientEnvironment.invalid(
                    TLS_VERIFY_HOSTNAME, verifyHostname, "true or false");
          };
      // Kafka's default is "https" (verify); the empty value turns the host name check off.
      own.set("ssl.endpoint.identification.algorithm", verify ? "https" : "", TLS_VERIFY_HOSTNAME);
    }
  }

  /** Builds the TLS context as a client would; a failure names the settings involved. */
  static void check(KafkaClientProperties properties) {
    Map<String, Object> raw = new HashMap<>(properties.asMap());
    raw.put("bootstrap.servers", "unused:9092");
    DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
    try {
      factory.configure(AdminClientConfig.configDef().parse(raw));
    } catch (RuntimeException e) {
      String from =
          properties.originsOf(
              "ssl.truststore.location",
              "ssl.truststore.password",
              "ssl.keystore.location",
              "ssl.keystore.certificate.chain",
              "ssl.keystore.key",
              "ssl.keystore.password",
              "ssl.key.password",
              "ssl.truststore.type",
              "ssl.keystore.type");
      String reasons = AuthenticationFailures.reasons(e);
      if (reasons.contains("PBES2")) {
        reasons +=
            " (Java decrypts PKCS#8 keys encrypted with PBES1 only: re-encrypt the key with"
                + " `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in KEY -out KEY.enc`)";
      }
      throw new KafkaSettingException(
          "Cannot use the TLS settings" + (from.isEmpty() ? "" : " of " + from) + ": " + reasons);
    } finally {
      factory.close();
    }
  }

  private static String storeType(String file) {
    return file.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
  }

  private static String requireReadable(String variable, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
    } catch (IOException | InvalidPathException e) {
      throw new KafkaSettingException(
          variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String requirePem(String variable, String file, String label) {
    String text = requireReadable(variable, file);
    if (!text.contains("-----BEGIN " + label + "-----")) {
      throw new KafkaSettingException(
          variable + ": " + file + " holds no PEM block -----BEGIN " + label + "-----");
    }
    return text;
  }

  private static String requirePrivateKey(String file, boolean hasPassword) {
    String text = requireReadable(TLS_KEY_FILE, file);
    boolean encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    if (!encrypted && !text.contains("-----BEGIN PRIVATE KEY-----")) {
      String format =
          text.contains("-----BEGIN RSA PRIVATE KEY-----")
                  || text.contains("-----BEGIN EC PRIVATE KEY-----")
              ? "is an OpenSSL traditional (PKCS#1/SEC1) key; Kafka reads PKCS#8: convert it with"
                  + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`"
              : "holds no PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED"
                  + " PRIVATE KEY-----)";
      throw new KafkaSettingException(TLS_KEY_FILE + ": " + file + " " + format);
    }
    if (encrypted && !hasPassword) {
      throw new KafkaSettingException(
          TLS_KEY_FILE + ": " + file + " is encrypted; set " + TLS_KEY_PASSWORD);
    }
    if (!encrypted && hasPassword) {
      throw new KafkaSettingException(
          TLS_KEY_PASSWORD + " is set but " + file + " (" + TLS_KEY_FILE + ") is not encrypted");
    }
    return text;
  }

  private static KafkaSettingException exclusive(String one, String other) {
    return new KafkaSettingException(one + " and " + other + " exclude each other; set one");
  }
}
