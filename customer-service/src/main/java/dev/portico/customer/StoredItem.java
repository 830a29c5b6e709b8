package dev.portico.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An item as the store keeps it: the attributes exactly as written, and the server-maintained
 * version (1 on creation, +1 on every effective change) that clients see as the {@code ETag}.
 */
public record StoredItem(ObjectNode item, long version) {
  public String etag() {
    return "\"" + version + "\"";
  }
}
