package dev.portico.table.key;

import dev.portico.table.value.AttributeValue;

/** The types a key attribute may have, as DynamoDB's AttributeDefinitions name them. */
public enum KeyType {
  S,
  N,
  B;

  /** True when {@code value} is of this type. */
  public boolean matches(AttributeValue value) {
    return value.type().equals(name());
  }
}
