package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import dev.portico.customer.condition.Condition;
import dev.portico.customer.condition.ConditionParser;
import dev.portico.customer.condition.ConditionSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code GET /customer?limit=&cursor=&filter=}: a page of one partition's items in key order.
 *
 * <p>The cursor is opaque to clients: base64url of {@code v1:<partition>:<last key>}. It names a
 * partition and a key, not an offset or a session, so it stays valid across restarts and rebalances
 * (as long as the commands topic keeps its partition count, which the state's partitioning requires
 * anyway).
 *
 * @param limit items examined on this page (default 100, 1-1000), before the filter, as DynamoDB's
 *     Limit
 */
record ScanRequest(int partition, String after, int limit, Condition filter) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String VERSION = "v1";

  static ScanRequest parse(FunctionRequest request, int partitions) throws ItemValidation.Invalid {
    Map<String, String> query =
        request.queryStringParameters() == null ? Map.of() : request.queryStringParameters();
    int limit = DEFAULT_LIMIT;
    String rawLimit = query.get("limit");
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new ItemValidation.Invalid(400, "limit must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    Condition filter = null;
    String rawFilter = query.get("filter");
    if (rawFilter != null) {
      try {
        filter = ConditionParser.parse(rawFilter);
      } catch (ConditionSyntaxException e) {
        throw new ItemValidation.Invalid(400, "Invalid filter expression: " + e.getMessage());
      }
    }
    String cursor = query.get("cursor");
    if (cursor == null || cursor.isEmpty()) {
      return new ScanRequest(0, "", limit, filter);
    }
    String[] parts = decode(cursor).split(":", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw invalidCursor();
    }
    int partition;
    try {
      partition = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw invalidCursor();
    }
    if (partition < 0 || partition >= partitions) {
      throw invalidCursor();
    }
    return new ScanRequest(partition, parts[2], limit, filter);
  }

  static String cursor(int partition, String after) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((VERSION + ":" + partition + ":" + after).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) throws ItemValidation.Invalid {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidCursor();
    }
  }

  private static ItemValidation.Invalid invalidCursor() {
    return new ItemValidation.Invalid(400, "Invalid cursor: pass back a nextCursor unchanged");
  }
}
