package dev.portico.kit.client;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka client properties a deployment adds to every client (security and anything passed
 * through), with where each came from, so that a refusal can name the variable to fix. Its {@link
 * #toString} hides every secret (Kafka's password-typed properties), so it is safe to log.
 */
public final class KafkaClientProperties {
  private static final KafkaClientProperties PLAIN =
      new KafkaClientProperties(Map.of(), Map.of(), null);

  private final Map<String, String> properties;
  private final Map<String, String> origins;
  private final String fileBootstrap;

  KafkaClientProperties(
      Map<String, String> properties, Map<String, String> origins, String fileBootstrap) {
    this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    this.origins = Map.copyOf(origins);
    this.fileBootstrap = fileBootstrap;
  }

  /** No security, nothing passed through: Kafka's defaults (the local mode). */
  public static KafkaClientProperties plain() {
    return PLAIN;
  }

  /** A fresh, mutable copy of the properties, for a client to add its own settings to. */
  public Map<String, Object> toMap() {
    return new HashMap<>(properties);
  }

  /** The properties as Kafka names them, read-only. */
  public Map<String, String> asMap() {
    return properties;
  }

  /** {@code security.protocol}: PLAINTEXT unless a setting says otherwise. */
  public String securityProtocol() {
    return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
  }

  /** True when connecting involves TLS or SASL, so that settings can be refused by the broker. */
  public boolean secured() {
    return !securityProtocol().equals("PLAINTEXT");
  }

  /** {@code bootstrap.servers} from the properties file, used when no variable names them. */
  public Optional<String> fileBootstrap() {
    return Optional.ofNullable(fileBootstrap);
  }

  /** Where a property came from: a variable's name or the properties file; empty if unset. */
  public Optional<String> origin(String property) {
    return Optional.ofNullable(origins.get(property));
  }

  /** The distinct origins of the given properties, in order, joined for a message. */
  String originsOf(String... names) {
    Set<String> from = new LinkedHashSet<>();
    Arrays.stream(names).map(origins::get).filter(o -> o != null).forEach(from::add);
    return String.join(", ", from);
  }

  @Override
  public String toString() {
    return properties.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + "="
                    + (ClientConfigKeys.isSecret(e.getKey()) ? "[hidden]" : e.getValue())
                    + " ("
                    + origins.get(e.getKey())
                    + ")")
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
