package dev.portico.table.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.table.key.KeySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A table as the catalog keeps it: its name, primary key, TTL attribute ({@code null}: none) and
 * stream view type ({@code null}: no stream), and when it was created. Stored as JSON in the
 * catalog topic, keyed by name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableDefinition(
    String name, KeySchema key, String ttlAttribute, String streamViewType, long createdAtMillis) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public TableDefinition {
    Objects.requireNonNull(name);
    Objects.requireNonNull(key);
  }

  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TableDefinition fromJson(byte[] json) {
    try {
      return MAPPER.readValue(json, TableDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
