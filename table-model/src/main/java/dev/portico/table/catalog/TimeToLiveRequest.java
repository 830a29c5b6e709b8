package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.value.InvalidValueException;

/**
 * An UpdateTimeToLive request's {@code TimeToLiveSpecification}, read and checked against the table
 * as DynamoDB checks it: the operation is not idempotent (enabling TTL that is enabled, or
 * disabling TTL that is disabled, is refused), and TTL on one attribute must be disabled before it
 * is enabled on another.
 *
 * @param enabled whether TTL is to be enabled or disabled
 * @param attributeName the TTL attribute (required either way, as in DynamoDB)
 */
public record TimeToLiveRequest(boolean enabled, String attributeName) {
  /** DynamoDB's limit on the TTL attribute's name. */
  static final int MAX_NAME_LENGTH = 255;

  public static TimeToLiveRequest read(JsonNode request) {
    JsonNode specification = request.get("TimeToLiveSpecification");
    if (specification == null || specification.isNull()) {
      throw missing("timeToLiveSpecification");
    }
    if (!specification.isObject()) {
      throw new InvalidValueException("TimeToLiveSpecification must be an object");
    }
    JsonNode enabled = specification.get("Enabled");
    if (enabled == null || enabled.isNull()) {
      throw missing("timeToLiveSpecification.enabled");
    }
    if (!enabled.isBoolean()) {
      throw new InvalidValueException("TimeToLiveSpecification.Enabled must be a boolean");
    }
    String name = CreateTableRequest.text(specification, "AttributeName");
    if (name == null) {
      throw missing("timeToLiveSpecification.attributeName");
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + name
              + "' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member"
              + " must have length less than or equal to 255, Member must have length greater than"
              + " or equal to 1");
    }
    return new TimeToLiveRequest(enabled.booleanValue(), name);
  }

  /** {@code table} with this change, or the ValidationException DynamoDB answers. */
  public TableDefinition applyTo(TableDefinition table) {
    String current = table.ttlAttribute();
    if (current != null && !current.equals(attributeName)) {
      throw new InvalidValueException(
          "TimeToLive is active on a different AttributeName: current AttributeName is " + current);
    }
    if (enabled && current != null) {
      throw new InvalidValueException("TimeToLive is already enabled");
    }
    if (!enabled && current == null) {
      throw new InvalidValueException("TimeToLive is already disabled");
    }
    return table.withTtlAttribute(enabled ? attributeName : null);
  }

  private static InvalidValueException missing(String member) {
    return new InvalidValueException(
        "1 validation error detected: Value null at '"
            + member
            + "' failed to satisfy constraint: Member must not be null");
  }
}
