package dev.portico.table.catalog;

import dev.portico.table.key.KeySchema;
import dev.portico.table.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A global secondary index: its name, key, and which attributes its entries carry (ALL, KEYS_ONLY:
 * the table's and the index's key attributes, INCLUDE: those and {@code nonKeyAttributes}).
 */
public record IndexDefinition(
    String name, KeySchema key, String projectionType, List<String> nonKeyAttributes) {
  public IndexDefinition {
    Objects.requireNonNull(name);
    Objects.requireNonNull(key);
    Objects.requireNonNull(projectionType);
    nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
  }

  /**
   * True when {@code item} has this index's key attributes (an item without them is not in the
   * index, as in DynamoDB).
   */
  public boolean covers(Map<String, AttributeValue> item) {
    return item.containsKey(key.partitionKey())
        && (!key.hasSortKey() || item.containsKey(key.sortKey()));
  }

  /** The attributes of {@code item} this index's entry carries. */
  public Map<String, AttributeValue> project(Map<String, AttributeValue> item, KeySchema tableKey) {
    if (projectionType.equals("ALL")) {
      return item;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (String name : keyAttributes(tableKey)) {
      out.put(name, item.get(name));
    }
    if (projectionType.equals("INCLUDE")) {
      for (String name : nonKeyAttributes) {
        AttributeValue value = item.get(name);
        if (value != null) {
          out.put(name, value);
        }
      }
    }
    return out;
  }

  /** The index's key attributes, then the table's (an entry always carries them all). */
  public List<String> keyAttributes(KeySchema tableKey) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    names.add(key.partitionKey());
    if (key.hasSortKey()) {
      names.add(key.sortKey());
    }
    names.add(tableKey.partitionKey());
    if (tableKey.hasSortKey()) {
      names.add(tableKey.sortKey());
    }
    return List.copyOf(names);
  }
}
