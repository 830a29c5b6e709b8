package dev.portico.table.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.table.key.KeySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table as the catalog keeps it: its name, primary key, TTL attribute ({@code null}: none),
 * stream view type ({@code null}: no stream), when it was created (which tells a table from an
 * earlier one of the same name), and its global secondary indexes. Stored as JSON in the catalog
 * topic, keyed by name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableDefinition(
    String name,
    KeySchema key,
    String ttlAttribute,
    String streamViewType,
    long createdAtMillis,
    List<IndexDefinition> indexes) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public TableDefinition {
    Objects.requireNonNull(name);
    Objects.requireNonNull(key);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
  }

  /** The index named {@code name}, if the table has it. */
  public Optional<IndexDefinition> index(String name) {
    return indexes.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** This table with {@code indexes} instead of its own. */
  public TableDefinition withIndexes(List<IndexDefinition> indexes) {
    return new TableDefinition(name, key, ttlAttribute, streamViewType, createdAtMillis, indexes);
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
