package dev.portico.contracts.edge;

/**
 * An API key as stored: never the value, only its SHA-256 ({@code hash}, hex). The value is shown
 * once, when the key is created.
 */
public record ApiKeyRecord(
    String id, String name, String description, String hash, boolean enabled, String createdAt)
    implements GatewayEntity {

  public ApiKeyRecord withEnabled(boolean value) {
    return new ApiKeyRecord(id, name, description, hash, value, createdAt);
  }
}
