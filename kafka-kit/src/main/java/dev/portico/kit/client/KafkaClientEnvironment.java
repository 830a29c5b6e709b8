package dev.portico.kit.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the Kafka client settings of a deployment from {@code PORTICO_KAFKA_*} variables, the same
 * way for every Portico client (services, launcher, function SDKs), into the properties every
 * client starts from. Three kinds of source, highest precedence first:
 *
 * <ol>
 *   <li>Portico's own variables ({@link #OWN_VARIABLES}): the security protocol, SASL credentials,
 *       OAuth client credentials and TLS files, checked together (a combination that cannot work is
 *       refused before any connection);
 *   <li>pass-through variables: any other {@code PORTICO_KAFKA_<NAME>} sets the Kafka client
 *       property {@code <name>} lower-cased with {@code _} read as {@code .} ({@code
 *       PORTICO_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM} sets {@code
 *       ssl.endpoint.identification.algorithm}); it must name a property of Kafka's Java producer,
 *       consumer or admin client, with a value Kafka accepts;
 *   <li>the properties file named by {@code PORTICO_KAFKA_PROPERTIES_FILE} (a {@code
 *       client.properties} as managed Kafka services hand out), same vocabulary.
 * </ol>
 *
 * A pass-through variable and one of Portico's own may not set the same property. Properties that
 * Portico sets per client for its guarantees ({@link #SET_PER_CLIENT}) cannot be given at all.
 * Every refusal names the variable (or file) and never repeats a secret.
 */
public final class KafkaClientEnvironment {
  public static final String PREFIX = "PORTICO_KAFKA_";
  public static final String BOOTSTRAP = PREFIX + "BOOTSTRAP";
  public static final String MAX_MESSAGE_BYTES = PREFIX + "MAX_MESSAGE_BYTES";
  public static final String PROPERTIES_FILE = PREFIX + "PROPERTIES_FILE";
  public static final String SECURITY_PROTOCOL = PREFIX + "SECURITY_PROTOCOL";
  public static final String SASL_MECHANISM = PREFIX + "SASL_MECHANISM";
  public static final String SASL_USERNAME = PREFIX + "SASL_USERNAME";
  public static final String SASL_PASSWORD = PREFIX + "SASL_PASSWORD";
  public static final String OAUTH_TOKEN_ENDPOINT_URL =
      PREFIX + "SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL";
  public static final String OAUTH_CLIENT_ID = PREFIX + "SASL_OAUTHBEARER_CLIENT_ID";
  public static final String OAUTH_CLIENT_SECRET = PREFIX + "SASL_OAUTHBEARER_CLIENT_SECRET";
  public static final String OAUTH_SCOPE = PREFIX + "SASL_OAUTHBEARER_SCOPE";
  public static final String TLS_CA_FILE = PREFIX + "TLS_CA_FILE";
  public static final String TLS_CERT_FILE = PREFIX + "TLS_CERT_FILE";
  public static final String TLS_KEY_FILE = PREFIX + "TLS_KEY_FILE";
  public static final String TLS_KEY_PASSWORD = PREFIX + "TLS_KEY_PASSWORD";
  public static final String TLS_KEYSTORE_FILE = PREFIX + "TLS_KEYSTORE_FILE";
  public static final String TLS_KEYSTORE_PASSWORD = PREFIX + "TLS_KEYSTORE_PASSWORD";
  public static final String TLS_TRUSTSTORE_FILE = PREFIX + "TLS_TRUSTSTORE_FILE";
  public static final String TLS_TRUSTSTORE_PASSWORD = PREFIX + "TLS_TRUSTSTORE_PASSWORD";
  public static final String TLS_VERIFY_HOSTNAME = PREFIX + "TLS_VERIFY_HOSTNAME";

  /** Portico's own {@code PORTICO_KAFKA_*} variables: read by name, never passed through. */
  public static final List<String> OWN_VARIABLES =
      List.of(
          BOOTSTRAP,
          MAX_MESSAGE_BYTES,
          PROPERTIES_FILE,
          SECURITY_PROTOCOL,
          SASL_MECHANISM,
          SASL_USERNAME,
          SASL_PASSWORD,
          OAUTH_TOKEN_ENDPOINT_URL,
          OAUTH_CLIENT_ID,
          OAUTH_CLIENT_SECRET,
          OAUTH_SCOPE,
          TLS_CA_FILE,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          TLS_KEY_PASSWORD,
          TLS_KEYSTORE_FILE,
          TLS_KEYSTORE_PASSWORD,
          TLS_TRUSTSTORE_FILE,
          TLS_TRUSTSTORE_PASSWORD,
          TLS_VERIFY_HOSTNAME);

  /**
   * Properties Portico chooses per client, because its guarantees rest on them (which group, which
   * transactional id, read_committed, idempotent producers, acks=all): never taken from outside.
   */
  public static final Set<String> SET_PER_CLIENT =
      Set.of(
          "bootstrap.servers",
          "client.id",
          "group.id",
          "group.instance.id",
          "transactional.id",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "enable.auto.commit",
          "enable.idempotence",
          "acks",
          "isolation.level");

  static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Pattern MECHANISM = Pattern.compile("[A-Z0-9_-]{1,64}");

  private final Map<String, String> env;
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, String> origins = new HashMap<>();
  private final Map<String, String> ownOrigins = new HashMap<>();
  private String fileBootstrap;

  private KafkaClientEnvironment(Map<String, String> env) {
    this.env = env;
  }

  /**
   * The client properties the environment gives.
   *
   * @throws KafkaSettingException naming the variable when a setting cannot be used
   */
  public static KafkaClientProperties read(Map<String, String> env) {
    KafkaClientEnvironment reader = new KafkaClientEnvironment(env);
    reader.readFile();
    reader.readPassThrough();
    reader.readOwn();
    reader.checkCombination();
    KafkaClientProperties result =
        new KafkaClientProperties(reader.values, reader.origins, reader.fileBootstrap);
    if (TlsSettings.usesTls(result.securityProtocol())) {
      TlsSettings.check(result);
    }
    return result;
  }

  /**
   * The Kafka client property a {@code PORTICO_KAFKA_*} variable passes through, or empty when the
   * variable is Portico's own or not of this prefix. Says nothing about whether Kafka knows it.
   */
  public static Optional<String> passThroughProperty(String variable) {
    if (!variable.startsWith(PREFIX) || OWN_VARIABLES.contains(variable)) {
      return Optional.empty();
    }
    return Optional.of(
        variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  private String get(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private void readFile() {
    String file = get(PROPERTIES_FILE);
    if (file == null) {
      return;
    }
    String origin = PROPERTIES_FILE + " (" + file + ")";
    Properties loaded = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file))) {
      loaded.load(in);
    } catch (IOException | InvalidPathException e) {
      throw new KafkaSettingException(
          "Cannot read " + origin + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    for (String property : new TreeMap<>(loaded).keySet().stream().map(Object::toString).toList()) {
      String value = loaded.getProperty(property).trim();
      if (property.equals("bootstrap.servers")) {
        fileBootstrap = value;
        continue;
      }
      accept(property, value, origin, origin + ": " + property);
    }
  }

  private void readPassThrough() {
    for (String variable : new TreeMap<>(env).keySet()) {
      Optional<String> property = passThroughProperty(variable);
      String value = get(variable);
      if (property.isEmpty() || value == null) {
        continue;
      }
      if (property.get().equals("bootstrap.servers")) {
        throw new KafkaSettingException(variable + ": set the bootstrap servers with " + BOOTSTRAP);
      }
      accept(property.get(), value, variable, variable);
    }
  }

  /**
   * A pass-through or file property, if Kafka knows it and accepts its value; read after the file,
   * a variable replaces the file's value.
   */
  private void accept(String property, String value, String origin, String where) {
    if (SET_PER_CLIENT.contains(property)) {
      throw new KafkaSettingException(
          where + ": " + property + " is chosen by Portico for each client and cannot be set");
    }
    if (!ClientConfigKeys.known(property)) {
      throw new KafkaSettingException(
          where
              + ": "
              + property
              + " is no property of Kafka's Java clients (a pass-through variable is"
              + " PORTICO_KAFKA_ followed by the property in capitals, dots as underscores)");
    }
    ClientConfigKeys.problemWith(property, value)
        .ifPresent(
            problem -> {
              throw new KafkaSettingException(where + ": " + problem);
            });
    values.put(property, value);
    origins.put(property, origin);
  }

  /** Sets a property from one of Portico's own variables; a pass-through one may not set it too. */
  private void own(String property, String value, String variable) {
    String before = origins.get(property);
    if (before != null
        && !before.startsWith(PROPERTIES_FILE)
        && !ownOrigins.containsKey(property)) {
      throw new KafkaSettingException(
          variable + " and " + before + " both set " + property + "; set only one of them");
    }
    values.put(property, value);
    origins.put(property, variable);
    ownOrigins.put(property, variable);
  }

  private void readOwn() {
    String protocol = get(SECURITY_PROTOCOL);
    if (protocol != null) {
      String upper = protocol.toUpperCase(Locale.ROOT);
      if (!PROTOCOLS.contains(upper)) {
        throw invalid(SECURITY_PROTOCOL, protocol, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
      }
      own("security.protocol", upper, SECURITY_PROTOCOL);
    }
    String mechanism = get(SASL_MECHANISM);
    if (mechanism != null) {
      String upper = mechanism.toUpperCase(Locale.ROOT);
      if (!MECHANISM.matcher(upper).matches()) {
        throw invalid(
            SASL_MECHANISM, mechanism, "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER");
      }
      own("sasl.mechanism", upper, SASL_MECHANISM);
    }
    SaslSettings.read(this::get, this::own, values.get("sasl.mechanism"));
    TlsSettings.read(this::get, this::own);
  }

  /** Settings that are fine alone but cannot work together. */
  private void checkCombination() {
    String protocol = values.getOrDefault("security.protocol", "PLAINTEXT");
    String protocolOrigin = origins.getOrDefault("security.protocol", "the default");
    boolean sasl = protocol.startsWith("SASL_");
    String mechanism = values.get("sasl.mechanism");
    if (!sasl) {
      for (String property :
          List.of("sasl.mechanism", "sasl.jaas.config", "sasl.oauthbearer.token.endpoint.url")) {
        if (ownOrigins.containsKey(property)) {
          throw new KafkaSettingException(
              ownOrigins.get(property)
                  + " needs "
                  + SECURITY_PROTOCOL
                  + "=SASL_SSL (or SASL_PLAINTEXT); the security protocol is "
                  + protocol
                  + " ("
                  + protocolOrigin
                  + ")");
        }
      }
    }
    if (!TlsSettings.usesTls(protocol)) {
      ownOrigins.entrySet().stream()
          .filter(e -> e.getKey().startsWith("ssl."))
          .findFirst()
          .ifPresent(
              e -> {
                throw new KafkaSettingException(
                    e.getValue()
                        + " needs "
                        + SECURITY_PROTOCOL
                        + "=SSL or SASL_SSL; the security protocol is "
                        + protocol
                        + " ("
                        + protocolOrigin
                        + ")");
              });
    }
    if (sasl) {
      SaslSettings.checkLogin(
          protocol, protocolOrigin, mechanism, values.containsKey("sasl.jaas.config"));
    }
  }

  static void requireTogether(String name, String value, String otherName, String other) {
    if (value == null) {
      throw new KafkaSettingException(otherName + " is set, so " + name + " is needed too");
    }
    if (other == null) {
      throw new KafkaSettingException(name + " is set, so " + otherName + " is needed too");
    }
  }

  static KafkaSettingException invalid(String name, String value, String expected) {
    return new KafkaSettingException(
        "Invalid value for " + name + ": '" + value + "' (expected " + expected + ")");
  }
}
