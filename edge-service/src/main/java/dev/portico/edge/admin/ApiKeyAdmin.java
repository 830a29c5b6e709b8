package dev.portico.edge.admin;

import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.GatewayConfig;
import dev.portico.edge.serving.ApiKeyIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Admin operations on API keys. A key's value is generated (or given, at least 20 characters),
 * returned once, and stored only as its SHA-256. Blocking, like every admin operation.
 */
public final class ApiKeyAdmin {
  private final ConfigTopic topic;
  private final ConfigWriter writer;

  ApiKeyAdmin(ConfigTopic topic, ConfigWriter writer) {
    this.topic = topic;
    this.writer = writer;
  }

  private GatewayConfig config() {
    return topic.current();
  }

  /** A created key: its record, and its value, shown this once. */
  public record CreatedKey(ApiKeyRecord key, String value) {}

  public CreatedKey createKey(String name, String description, Boolean enabled, String value) {
    List<String> problems = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 128) {
      problems.add("name: required, 1-128 characters");
    }
    if (value != null
        && (value.length() < 20 || value.length() > 128 || !value.matches("[\\x21-\\x7e]+"))) {
      problems.add("value: 20-128 printable ASCII characters without spaces");
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    String plain = value == null ? RandomIds.next(40) : value;
    String hash = ApiKeyIndex.sha256(plain);
    if (config().apiKeys().values().stream().anyMatch(k -> k.hash().equals(hash))) {
      throw new AdminException(409, "An API key with that value exists");
    }
    ApiKeyRecord key =
        new ApiKeyRecord(
            RandomIds.next(10).toLowerCase(Locale.ROOT),
            name,
            description == null ? "" : description,
            hash,
            enabled == null || enabled,
            Instant.now().toString());
    writer.write(GatewayConfig.apiKeyKey(key.id()), key);
    return new CreatedKey(key, plain);
  }

  public ApiKeyRecord key(String id) {
    ApiKeyRecord key = config().apiKeys().get(id);
    if (key == null) {
      throw AdminException.notFound("API key " + id);
    }
    return key;
  }

  public ApiKeyRecord updateKey(String id, Boolean enabled, String name, String description) {
    ApiKeyRecord key = key(id);
    if (name != null && (name.isBlank() || name.length() > 128)) {
      throw AdminException.invalid(List.of("name: 1-128 characters"));
    }
    ApiKeyRecord updated =
        new ApiKeyRecord(
            id,
            name == null ? key.name() : name,
            description == null ? key.description() : description,
            key.hash(),
            enabled == null ? key.enabled() : enabled,
            key.createdAt());
    writer.write(GatewayConfig.apiKeyKey(id), updated);
    return updated;
  }

  /** Deletes a key and detaches it from every plan. */
  public void deleteKey(String id) {
    key(id);
    for (UsagePlanRecord plan : config().usagePlans().values()) {
      if (plan.keyIds().contains(id)) {
        List<String> keys = new ArrayList<>(plan.keyIds());
        keys.remove(id);
        writer.write(GatewayConfig.usagePlanKey(plan.id()), plan.withKeys(keys));
      }
    }
    writer.write(GatewayConfig.apiKeyKey(id), null);
  }
}
