package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a DynamoDB CreateTable request into a {@link TableDefinition}, refusing what DynamoDB
 * refuses with its messages. Billing mode and provisioned throughput are accepted and ignored (the
 * table service has no capacity units); local secondary indexes are refused (a global one serves
 * the same queries).
 */
public final class CreateTableRequest {
  /** DynamoDB's limit of global secondary indexes per table. */
  public static final int MAX_INDEXES = 20;

  private static final Set<String> STREAM_VIEWS =
      Set.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");

  private CreateTableRequest() {}

  public static TableDefinition read(JsonNode request, long nowMillis) {
    String name = TableNames.check(text(request, "TableName"), "tableName");
    Map<String, KeyType> attributes = attributeDefinitions(request.get("AttributeDefinitions"));
    KeySchema key = keySchema(request.get("KeySchema"), attributes, "keySchema");
    Set<String> used = new LinkedHashSet<>(keyNames(key));
    if (present(request, "LocalSecondaryIndexes")) {
      throw new InvalidValueException(
          "Local secondary indexes are not supported by this version of Portico: use a global"
              + " secondary index");
    }
    List<IndexDefinition> indexes = new ArrayList<>();
    JsonNode gsis = request.get("GlobalSecondaryIndexes");
    if (gsis != null && !gsis.isNull()) {
      if (!gsis.isArray() || gsis.isEmpty()) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
      }
      if (gsis.size() > MAX_INDEXES) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: GlobalSecondaryIndexes list size exceeds"
                + " the maximum of "
                + MAX_INDEXES);
      }
      for (JsonNode gsi : gsis) {
        IndexDefinition index = index(gsi, attributes);
        if (indexes.stream().anyMatch(i -> i.name().equals(index.name()))) {
          throw new InvalidValueException(
              "One or more parameter values were invalid: Duplicate index name: " + index.name());
        }
        indexes.add(index);
        used.addAll(keyNames(index.key()));
      }
    }
    if (!attributes.keySet().equals(used)) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Number of attributes in KeySchema does not"
              + " exactly match number of attributes defined in AttributeDefinitions");
    }
    return new TableDefinition(
        name, key, null, streamView(request.get("StreamSpecification")), nowMillis, indexes);
  }

  /** One global secondary index of a CreateTable or UpdateTable request. */
  static IndexDefinition index(JsonNode gsi, Map<String, KeyType> attributes) {
    String name = TableNames.check(text(gsi, "IndexName"), "indexName");
    KeySchema key =
        keySchema(gsi.get("KeySchema"), attributes, "globalSecondaryIndexes.1.member.keySchema");
    JsonNode projection = gsi.get("Projection");
    String type = text(projection, "ProjectionType");
    if (type == null || !Set.of("ALL", "KEYS_ONLY", "INCLUDE").contains(type)) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + type
              + "' at 'globalSecondaryIndexes.1.member.projection.projectionType' failed to satisfy"
              + " constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
    }
    List<String> nonKey = new ArrayList<>();
    JsonNode listed = projection.get("NonKeyAttributes");
    if (listed != null && listed.isArray()) {
      listed.forEach(n -> nonKey.add(n.asText()));
    }
    if (type.equals("INCLUDE") == nonKey.isEmpty()) {
      throw new InvalidValueException(
          type.equals("INCLUDE")
              ? "One or more parameter values were invalid: NonKeyAttributes must be specified"
                  + " for ProjectionType INCLUDE"
              : "One or more parameter values were invalid: ProjectionType is "
                  + type
                  + ", but NonKeyAttributes is specified");
    }
    return new IndexDefinition(name, key, type, nonKey);
  }

  /** A KeySchema member: a HASH element, then an optional RANGE one, each defined. */
  static KeySchema keySchema(JsonNode keySchema, Map<String, KeyType> attributes, String member) {
    if (keySchema == null || !keySchema.isArray() || keySchema.isEmpty()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at '"
              + member
              + "' failed to satisfy constraint: Member must not be null");
    }
    if (keySchema.size() > 2) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + keySchema
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length less than or equal to 2");
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
          "Both the Hash Key and the Range Key element in the KeySchema have the same name");
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
    return new KeySchema(
        hash, attributes.get(hash), range, range == null ? null : attributes.get(range));
  }

  static List<String> keyNames(KeySchema key) {
    return key.hasSortKey()
        ? List.of(key.partitionKey(), key.sortKey())
        : List.of(key.partitionKey());
  }

  static Map<String, KeyType> attributeDefinitions(JsonNode definitions) {
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

  static String streamView(JsonNode specification) {
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
