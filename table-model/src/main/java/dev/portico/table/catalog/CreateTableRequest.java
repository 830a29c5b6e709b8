package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a DynamoDB CreateTable request into a {@link TableDefinition}, refusing what DynamoDB
 * refuses with its messages. Billing mode and provisioned throughput are accepted and ignored (the
 * table service has no capacity units); secondary indexes are refused until they are built.
 */
public final class CreateTableRequest {
  private static final Set<String> STREAM_VIEWS =
      Set.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");

  private CreateTableRequest() {}

  public static TableDefinition read(JsonNode request, long nowMillis) {
    String name = TableNames.check(text(request, "TableName"), "tableName");
    Map<String, KeyType> attributes = attributeDefinitions(request.get("AttributeDefinitions"));
    JsonNode keySchema = request.get("KeySchema");
    if (keySchema == null || !keySchema.isArray() || keySchema.isEmpty()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint:"
              + " Member must not be null");
    }
    if (keySchema.size() > 2) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + keySchema
              + "' at 'keySchema' failed to satisfy constraint: Member must have length less than"
              + " or equal to 2");
    }
    String hash =
        keyElement(
            keySchema.get(0),
            "HASH",
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    String range =
        keySchema.size() == 2
            ? keyElement(
                keySchema.get(1),
                "RANGE",
                "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
            : null;
    if (hash.equals(range)) {
      throw new InvalidValueException(
          "Invalid KeySchema: Some index key attribute have no definition");
    }
    List<String> keys = new ArrayList<>();
    keys.add(hash);
    if (range != null) {
      keys.add(range);
    }
    if (!attributes.keySet().containsAll(keys)) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Some index key attributes are not defined in"
              + " AttributeDefinitions. Keys: "
              + keys
              + ", AttributeDefinitions: "
              + new ArrayList<>(attributes.keySet()));
    }
    if (attributes.size() != keys.size()) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Number of attributes in KeySchema does not"
              + " exactly match number of attributes defined in AttributeDefinitions");
    }
    if (present(request, "GlobalSecondaryIndexes") || present(request, "LocalSecondaryIndexes")) {
      throw new InvalidValueException(
          "Secondary indexes are not supported by this version of Portico");
    }
    KeySchema key =
        new KeySchema(
            hash, attributes.get(hash), range, range == null ? null : attributes.get(range));
    return new TableDefinition(
        name, key, null, streamView(request.get("StreamSpecification")), nowMillis);
  }

  private static Map<String, KeyType> attributeDefinitions(JsonNode definitions) {
    if (definitions == null || !definitions.isArray()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy"
              + " constraint: Member must not be null");
    }
    Map<String, KeyType> attributes = new LinkedHashMap<>();
    for (JsonNode definition : definitions) {
      String name = text(definition, "AttributeName");
      String type = text(definition, "AttributeType");
      if (name == null || name.isEmpty()) {
        throw new InvalidValueException(
            "1 validation error detected: Value null at 'attributeDefinitions.1.member.attributeName'"
                + " failed to satisfy constraint: Member must not be null");
      }
      if (type == null || !Set.of("S", "N", "B").contains(type)) {
        throw new InvalidValueException(
            "1 validation error detected: Value '"
                + type
                + "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy"
                + " constraint: Member must satisfy enum value set: [B, N, S]");
      }
      if (attributes.put(name, KeyType.valueOf(type)) != null) {
        throw new InvalidValueException(
            "Cannot have two attributes with the same name. Attribute name: " + name);
      }
    }
    return attributes;
  }

  private static String keyElement(JsonNode element, String expected, String wrongType) {
    String name = text(element, "AttributeName");
    String type = text(element, "KeyType");
    if (name == null || name.isEmpty() || type == null) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at 'keySchema.1.member.attributeName' failed to"
              + " satisfy constraint: Member must not be null");
    }
    if (!Set.of("HASH", "RANGE").contains(type)) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + type
              + "' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy"
              + " enum value set: [HASH, RANGE]");
    }
    if (!type.equals(expected)) {
      throw new InvalidValueException(wrongType);
    }
    return name;
  }

  private static String streamView(JsonNode specification) {
    if (specification == null || !specification.path("StreamEnabled").asBoolean(false)) {
      return null;
    }
    String view = text(specification, "StreamViewType");
    if (view == null || !STREAM_VIEWS.contains(view)) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + view
              + "' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member"
              + " must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, KEYS_ONLY,"
              + " NEW_AND_OLD_IMAGES]");
    }
    return view;
  }

  private static boolean present(JsonNode request, String member) {
    JsonNode value = request.get(member);
    return value != null && !value.isNull() && !(value.isArray() && value.isEmpty());
  }

  static String text(JsonNode node, String member) {
    JsonNode value = node == null ? null : node.get(member);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
