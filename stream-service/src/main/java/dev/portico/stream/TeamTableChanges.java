package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.PlainJson;
import java.io.IOException;

/**
 * Reading a team table's change record (from {@code tables.changes}) for triggers and the reading
 * API: which table it belongs to (its Kafka key is the table name, NUL, ...), which stream (its
 * {@code eventSourceARN}), and the record with its keys and images in plain JSON ({@code
 * "KilDong"}, not {@code {"S": "KilDong"}}), so that filters and templates read a team table's
 * record as they read a customers record. The mapping is the table service's ({@link PlainJson}): a
 * set becomes an array, a binary its base64 text.
 */
final class TeamTableChanges {
  private static final String[] TYPED = {"Keys", "NewImage", "OldImage"};

  private TeamTableChanges() {}

  /** The table a record key names, or {@code null} when it names none. */
  static String table(String key) {
    int end = key == null ? -1 : key.indexOf('\u0000');
    return end <= 0 ? null : key.substring(0, end);
  }

  /**
   * The {@code eventSourceARN} of a change record (which stream it belongs to), or {@code null}
   * when the record has none or is not JSON.
   */
  static String sourceArn(byte[] value) {
    try {
      JsonNode arn = Json.MAPPER.readTree(value).get("eventSourceARN");
      return arn == null || !arn.isTextual() ? null : arn.asText();
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }

  /** A copy of {@code change} with plain JSON keys and images; null when they are not typed. */
  static JsonNode plain(JsonNode change) {
    try {
      return plainOrThrow(change);
    } catch (RuntimeException notTyped) {
      return null;
    }
  }

  private static JsonNode plainOrThrow(JsonNode change) {
    ObjectNode copy = change.deepCopy();
    JsonNode dynamodb = copy.get("dynamodb");
    if (dynamodb instanceof ObjectNode fields) {
      for (String name : TYPED) {
        JsonNode typed = fields.get(name);
        if (typed != null && typed.isObject()) {
          fields.set(name, PlainJson.write(DynamoJson.readItem(typed)));
        }
      }
    }
    return copy;
  }
}
