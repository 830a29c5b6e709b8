package dev.portico.table.catalog;

import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import java.util.List;

/**
 * The bundled {@code customers} table as the DynamoDB API sees it: keyed by the string {@code
 * customer_id}, without sort key, indexes or a stream the DynamoDB Streams API serves (its change
 * stream is stream-service's {@code customers} stream). It is not in the catalog: it exists on
 * every install, and cannot be created, updated or deleted.
 */
public final class BundledTable {
  public static final String NAME = "customers";
  public static final String KEY = "customer_id";

  /** Its definition, created at the epoch (so its description is the same on every replica). */
  public static final TableDefinition DEFINITION =
      new TableDefinition(NAME, KeySchema.of(KEY, KeyType.S), null, null, 0, List.of());

  private BundledTable() {}

  public static boolean is(String table) {
    return NAME.equals(table);
  }
}
