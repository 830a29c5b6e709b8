package dev.portico.customer.state;

import dev.portico.table.catalog.TableDefinition;

/**
 * The definitions of the tables whose names hash to one partition: the authority CreateTable and
 * DeleteTable consult, in command order (the catalog topic, which every replica follows, may lag a
 * moment behind).
 */
public final class TableDefinitions {
  private final PartitionStore store;

  public TableDefinitions(PartitionStore store) {
    this.store = store;
  }

  /** The table's definition, or {@code null}. */
  public TableDefinition get(String name) {
    byte[] stored = store.get(key(name));
    return stored == null ? null : TableDefinition.fromJson(stored);
  }

  public void put(TableDefinition table) {
    store.put(key(table.name()), table.toJson());
  }

  public void delete(String name) {
    store.delete(key(name));
  }

  private static byte[] key(String name) {
    return StateKeys.bytes(StateKeys.DEFINITION + name);
  }
}
