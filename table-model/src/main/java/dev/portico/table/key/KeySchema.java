package dev.portico.table.key;

import java.util.Objects;

/**
 * A table's (or an index's) primary key: the partition key's name and type, and the sort key's, if
 * the table has one ({@code null} name and type otherwise).
 */
public record KeySchema(
    String partitionKey, KeyType partitionType, String sortKey, KeyType sortType) {
  public KeySchema {
    Objects.requireNonNull(partitionKey);
    Objects.requireNonNull(partitionType);
    if ((sortKey == null) != (sortType == null)) {
      throw new IllegalArgumentException("a sort key needs both a name and a type");
    }
  }

  /** A key with a partition key only. */
  public static KeySchema of(String partitionKey, KeyType partitionType) {
    return new KeySchema(partitionKey, partitionType, null, null);
  }

  public boolean hasSortKey() {
    return sortKey != null;
  }
}
