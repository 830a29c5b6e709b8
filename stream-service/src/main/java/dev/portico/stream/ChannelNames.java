package dev.portico.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The WebSocket channels the fan-out publishes to. A gateway metric's channel names its dimensions
 * in API Gateway's order (ApiName, Stage, Method, Resource), so {@code
 * metrics/ApiName=customer-api,Stage=prod} is one channel whatever order a datapoint lists them in.
 */
final class ChannelNames {
  static final String CUSTOMERS = "customers";
  static final String ALARMS = "alarms";
  static final String TABLES_PREFIX = "tables/";
  static final String METRICS_PREFIX = "metrics/";

  /** API Gateway's dimension order; any other dimension follows, sorted by name. */
  static final List<String> GATEWAY_DIMENSIONS = List.of("ApiName", "Stage", "Method", "Resource");

  private ChannelNames() {}

  /** {@code customers/{customer_id}}: the changes of one item. */
  static String customer(String customerId) {
    return CUSTOMERS + "/" + customerId;
  }

  /** {@code tables/{table}}: the changes of a team table. */
  static String table(String table) {
    return TABLES_PREFIX + table;
  }

  /**
   * {@code tables/{table}/{key}}: the changes of one item; the key is its partition key's value,
   * then {@code /} and its sort key's value for a table with a sort key.
   */
  static String tableItem(String table, List<String> keyValues) {
    return table(table) + "/" + String.join("/", keyValues);
  }

  /** The dimensions in channel order ({@link #GATEWAY_DIMENSIONS} first). */
  static Map<String, String> ordered(Map<String, String> dimensions) {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String name : GATEWAY_DIMENSIONS) {
      if (dimensions.containsKey(name)) {
        ordered.put(name, dimensions.get(name));
      }
    }
    new TreeMap<>(dimensions).forEach(ordered::putIfAbsent);
    return ordered;
  }

  /**
   * {@code metrics/Name=Value,...}, e.g. {@code metrics/ApiName=customer-api,Stage=prod}; empty for
   * a datapoint without dimensions (no channel names it).
   */
  static Optional<String> metrics(Map<String, String> dimensions) {
    if (dimensions == null || dimensions.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder channel = new StringBuilder(METRICS_PREFIX);
    String separator = "";
    for (var dimension : ordered(dimensions).entrySet()) {
      channel.append(separator).append(dimension.getKey()).append('=').append(dimension.getValue());
      separator = ",";
    }
    return Optional.of(channel.toString());
  }
}
