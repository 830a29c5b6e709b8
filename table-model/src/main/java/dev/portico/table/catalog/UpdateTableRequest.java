package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import java.util.HashMap;
import java.util.Map;

/**
 * What an UpdateTable request changes: one global secondary index created or deleted (DynamoDB
 * allows one per request), and the table's stream enabled or disabled. Billing mode and throughput
 * are accepted and ignored, as at creation.
 *
 * @param create the index to create, or {@code null}
 * @param delete the name of the index to delete, or {@code null}
 * @param stream the stream's change, or {@code null} when the request leaves it as it is
 */
public record UpdateTableRequest(IndexDefinition create, String delete, StreamChange stream) {

  /**
   * A stream enabled with {@code viewType}, or disabled ({@code viewType} null).
   *
   * @param viewType the new stream's view type, or {@code null} to disable the stream
   */
  public record StreamChange(String viewType) {
    public boolean enables() {
      return viewType != null;
    }
  }

  public static UpdateTableRequest read(JsonNode request, TableDefinition table) {
    StreamChange stream = stream(request.get("StreamSpecification"), table);
    UpdateTableRequest indexes = indexUpdate(request, table);
    return new UpdateTableRequest(indexes.create(), indexes.delete(), stream);
  }

  /**
   * {@code table} with this request's stream change; a stream enabled now is a new stream, labelled
   * by {@code nowMillis}.
   */
  public TableDefinition applyStream(TableDefinition table, long nowMillis) {
    return stream == null ? table : table.withStream(stream.viewType(), nowMillis);
  }

  /** The StreamSpecification's change, refused as DynamoDB refuses it; {@code null}: none. */
  private static StreamChange stream(JsonNode specification, TableDefinition table) {
    if (specification == null || specification.isNull()) {
      return null;
    }
    JsonNode enabled = specification.get("StreamEnabled");
    if (enabled == null || enabled.isNull()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed"
              + " to satisfy constraint: Member must not be null");
    }
    boolean enable = enabled.asBoolean(false);
    boolean hasView = CreateTableRequest.text(specification, "StreamViewType") != null;
    if (!enable) {
      if (hasView) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: If stream is being disabled, then"
                + " UpdateViewType must not be specified");
      }
      if (table.streamViewType() == null) {
        throw new InvalidValueException(
            "Table has no stream to disable: TableName: " + table.name());
      }
      return new StreamChange(null);
    }
    if (!hasView) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: If stream is being enabled then"
              + " UpdateViewType is required");
    }
    String view = CreateTableRequest.streamView(specification);
    if (table.streamViewType() != null) {
      throw new InvalidValueException(
          "Table already has an enabled stream: TableName: " + table.name());
    }
    return new StreamChange(view);
  }

  private static UpdateTableRequest indexUpdate(JsonNode request, TableDefinition table) {
    JsonNode updates = request.get("GlobalSecondaryIndexUpdates");
    if (updates == null || updates.isNull() || updates.isEmpty()) {
      return new UpdateTableRequest(null, null, null);
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
      return new UpdateTableRequest(index, null, null);
    }
    if (update.has("Delete")) {
      String name = CreateTableRequest.text(update.get("Delete"), "IndexName");
      if (name == null || table.index(name).isEmpty()) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: Requested resource not found: Index: "
                + name
                + " not found");
      }
      return new UpdateTableRequest(null, name, null);
    }
    throw new InvalidValueException(
        "One or more parameter values were invalid: Only Create and Delete global secondary index"
            + " updates are supported");
  }
}
