package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import java.util.HashMap;
import java.util.Map;

/**
 * What an UpdateTable request changes: one global secondary index created or deleted (DynamoDB
 * allows one per request). Billing mode and throughput are accepted and ignored, as at creation.
 *
 * @param create the index to create, or {@code null}
 * @param delete the name of the index to delete, or {@code null}
 */
public record UpdateTableRequest(IndexDefinition create, String delete) {

  public static UpdateTableRequest read(JsonNode request, TableDefinition table) {
    JsonNode updates = request.get("GlobalSecondaryIndexUpdates");
    if (updates == null || updates.isNull() || updates.isEmpty()) {
      return new UpdateTableRequest(null, null);
    }
    if (updates.size() > 1) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Only one global secondary index update per"
              + " UpdateTable request is supported");
    }
    JsonNode update = updates.get(0);
    if (update.has("Create")) {
      Map<String, KeyType> attributes = new HashMap<>();
      JsonNode definitions = request.get("AttributeDefinitions");
      if (definitions != null && !definitions.isNull()) {
        attributes.putAll(CreateTableRequest.attributeDefinitions(definitions));
      }
      IndexDefinition index = CreateTableRequest.index(update.get("Create"), attributes);
      if (table.index(index.name()).isPresent()) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: Index already exists: " + index.name());
      }
      if (table.indexes().size() >= CreateTableRequest.MAX_INDEXES) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: GlobalSecondaryIndexes list size exceeds"
                + " the maximum of "
                + CreateTableRequest.MAX_INDEXES);
      }
      return new UpdateTableRequest(index, null);
    }
    if (update.has("Delete")) {
      String name = CreateTableRequest.text(update.get("Delete"), "IndexName");
      if (name == null || table.index(name).isEmpty()) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: Requested resource not found: Index: "
                + name
                + " not found");
      }
      return new UpdateTableRequest(null, name);
    }
    throw new InvalidValueException(
        "One or more parameter values were invalid: Only Create and Delete global secondary index"
            + " updates are supported");
  }
}
