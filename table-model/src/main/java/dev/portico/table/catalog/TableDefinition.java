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
 * A table as the catalog keeps it: its name, primary key, TTL attribute ({@code null}: TTL
 * disabled), stream view type ({@code null}: no stream), when it was created (which tells a table
 * from an earlier one of the same name), its global secondary indexes, and when its stream was
 * enabled by UpdateTable ({@code null}: with the table; a stream enabled again is a new stream,
 * with a new label). Stored as JSON in the catalog topic, keyed by name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableDefinition(
    String name,
    KeySchema key,
    String ttlAttribute,
    String streamViewType,
    long createdAtMillis,
    List<IndexDefinition> indexes,
    Long streamEnabledAtMillis) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public TableDefinition {
    Objects.requireNonNull(name);
    Objects.requireNonNull(key);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
  }

  /** A table whose stream, if any, was created with it. */
  public TableDefinition(
      String name,
      KeySchema key,
      String ttlAttribute,
      String streamViewType,
      long createdAtMillis,
      List<IndexDefinition> indexes) {
    this(name, key, ttlAttribute, streamViewType, createdAtMillis, indexes, null);
  }

  /** When the table's current stream began: at creation, or when UpdateTable enabled it. */
  public long streamCreatedAtMillis() {
    return streamEnabledAtMillis == null ? createdAtMillis : streamEnabledAtMillis;
  }

  /** The index named {@code name}, if the table has it. */
  public Optional<IndexDefinition> index(String name) {
    return indexes.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /**
   * The index by that name, as a request names it.
   *
   * @throws dev.portico.table.value.InvalidValueException DynamoDB's refusal when there is none
   */
  public IndexDefinition requireIndex(String name) {
    return index(name)
        .orElseThrow(
            () ->
                new dev.portico.table.value.InvalidValueException(
                    "The table does not have the specified index: " + name));
  }

  /** This table with {@code indexes} instead of its own. */
  public TableDefinition withIndexes(List<IndexDefinition> indexes) {
    return new TableDefinition(
        name, key, ttlAttribute, streamViewType, createdAtMillis, indexes, streamEnabledAtMillis);
  }

  /** This table with TTL on {@code attribute} ({@code null}: TTL disabled). */
  public TableDefinition withTtlAttribute(String attribute) {
    return new TableDefinition(
        name, key, attribute, streamViewType, createdAtMillis, indexes, streamEnabledAtMillis);
  }

  /**
   * This table with a new stream of {@code viewType} begun at {@code atMillis}, or without a stream
   * ({@code viewType} null).
   */
  public TableDefinition withStream(String viewType, long atMillis) {
    return new TableDefinition(
        name,
        key,
        ttlAttribute,
        viewType,
        createdAtMillis,
        indexes,
        viewType == null ? null : atMillis);
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
