package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the fan-out publishes for one consumed record (no Kafka here, so it is tested alone):
 *
 * <ul>
 *   <li>a change record: the same record on {@code customers} and on {@code
 *       customers/{customer_id}}, {@code data} byte for byte as on the changes topic, {@code
 *       eventId} its {@code eventID};
 *   <li>an alarm transition: on {@code alarms}, {@code data} as on the state-changes topic, {@code
 *       eventId} derived from the alarm name, the new state and its timestamp;
 *   <li>a final datapoint of namespace {@code Portico/Gateway}: on {@code metrics/<dimensions>},
 *       {@code data} a {@link DatapointView}, {@code eventId} the datapoints topic's own id for
 *       that metric, period and start. Other namespaces publish nothing.
 * </ul>
 *
 * Every id is derived from the record, so a record published again (at least once) carries the same
 * {@code eventId} and subscribers can drop the repeat.
 */
final class ChannelMessages {
  static final String GATEWAY_NAMESPACE = "Portico/Gateway";

  /** The topics the fan-out reads, each with its mapping. */
  enum Source {
    CHANGES("changes"),
    TABLES("tables"),
    ALARMS("alarms"),
    METRICS("metrics");

    /** The {@code source} tag of the fan-out's counters. */
    final String tag;

    Source(String tag) {
      this.tag = tag;
    }
  }

  private ChannelMessages() {}

  /**
   * @throws IllegalArgumentException when the value is not what its topic carries (the record is
   *     skipped; it can never be published)
   */
  static List<ChannelMessage> of(Source source, String key, byte[] value) {
    if (value == null) {
      return List.of(); // a tombstone carries no event
    }
    return switch (source) {
      case CHANGES -> change(key, value);
      case TABLES -> tableChange(key, value);
      case ALARMS -> alarm(value);
      case METRICS -> datapoint(value);
    };
  }

  static List<ChannelMessage> change(String key, byte[] value) {
    JsonNode record = read(value);
    String eventId = required(record.path("eventID"), "eventID");
    String customerId =
        key != null
            ? key
            : required(record.path("dynamodb").path("Keys").path("customer_id"), "key");
    JsonNode data = raw(value);
    return List.of(
        new ChannelMessage(ChannelNames.CUSTOMERS, eventId, data),
        new ChannelMessage(ChannelNames.customer(customerId), eventId, data));
  }

  /**
   * A team table's change record (its key: table name, NUL, ...): the same record on {@code
   * tables/{table}} and on the item's channel, {@code tables/{table}/{key}}, where the key is the
   * item's key values as text in key-schema order, joined by {@code /}.
   */
  static List<ChannelMessage> tableChange(String key, byte[] value) {
    JsonNode record = read(value);
    String eventId = required(record.path("eventID"), "eventID");
    String table = TeamTableChanges.table(key);
    if (table == null) {
      throw new IllegalArgumentException("no table name in the record key");
    }
    List<String> keyValues = new ArrayList<>();
    record
        .path("dynamodb")
        .path("Keys")
        .elements()
        .forEachRemaining(typed -> keyValues.add(keyText(typed)));
    if (keyValues.isEmpty()) {
      throw new IllegalArgumentException("Keys missing");
    }
    JsonNode data = raw(value);
    return List.of(
        new ChannelMessage(ChannelNames.table(table), eventId, data),
        new ChannelMessage(ChannelNames.tableItem(table, keyValues), eventId, data));
  }

  /** A key value in DynamoDB JSON as text: a string, a number's digits, a binary's base64. */
  private static String keyText(JsonNode typed) {
    JsonNode text = typed.path("S");
    text = text.isMissingNode() ? typed.path("N") : text;
    text = text.isMissingNode() ? typed.path("B") : text;
    if (!text.isTextual()) {
      throw new IllegalArgumentException("a key value is not S, N or B");
    }
    return text.asText();
  }

  static List<ChannelMessage> alarm(byte[] value) {
    JsonNode change = read(value);
    String name = required(change.path("alarmName"), "alarmName");
    String state = required(change.path("state").path("value"), "state.value");
    String at = required(change.path("state").path("timestamp"), "state.timestamp");
    return List.of(
        new ChannelMessage(ChannelNames.ALARMS, uuid("alarm", name, state, at), raw(value)));
  }

  static List<ChannelMessage> datapoint(byte[] value) {
    MetricDatapoint datapoint = Topics.METRICS_DATAPOINTS.decode(null, value);
    if (!GATEWAY_NAMESPACE.equals(datapoint.namespace())) {
      return List.of();
    }
    return ChannelNames.metrics(datapoint.dimensions())
        .map(
            channel ->
                List.of(
                    new ChannelMessage(
                        channel, datapointEventId(datapoint), DatapointView.of(datapoint))))
        .orElse(List.of());
  }

  /**
   * metrics-service's event id of the datapoint (the datapoints topic's {@code portico-event-id}):
   * a UUID of {@code namespace/metricName/Dim=v,...} (dimensions sorted by name), period and start.
   */
  static String datapointEventId(MetricDatapoint datapoint) {
    StringBuilder metricId =
        new StringBuilder(datapoint.namespace())
            .append('/')
            .append(datapoint.metricName())
            .append('/');
    String separator = "";
    Map<String, String> dimensions =
        datapoint.dimensions() == null ? Map.of() : new TreeMap<>(datapoint.dimensions());
    for (var dimension : dimensions.entrySet()) {
      metricId
          .append(separator)
          .append(dimension.getKey())
          .append('=')
          .append(dimension.getValue());
      separator = ",";
    }
    return UUID.nameUUIDFromBytes(
            (metricId + "|" + datapoint.period() + "|" + datapoint.timestamp())
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static JsonNode read(byte[] value) {
    try {
      JsonNode node = Json.MAPPER.readTree(value);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  private static String required(JsonNode field, String name) {
    if (!field.isTextual() || field.asText().isEmpty()) {
      throw new IllegalArgumentException(name + " missing");
    }
    return field.asText();
  }

  /** The value's JSON as it is: written out unchanged (numbers keep their exact text). */
  private static JsonNode raw(byte[] value) {
    return Json.MAPPER
        .getNodeFactory()
        .rawValueNode(new RawValue(new String(value, StandardCharsets.UTF_8)));
  }

  private static String uuid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\n", parts).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
