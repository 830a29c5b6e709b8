package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.portico.customer.state.TableItems;
import dev.portico.customer.state.TypedItems;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.expression.Condition;
import dev.portico.table.expression.ExpressionAttributes;
import dev.portico.table.expression.KeyCondition;
import dev.portico.table.expression.ProjectionExpression;
import dev.portico.table.key.KeyRange;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Query, and one partition's page of a Scan (the edge walks the partitions). A page ends after
 * Limit items were evaluated, or before its items would pass {@link #PAGE_BYTES} as DynamoDB JSON
 * (DynamoDB stops at 1 MB of data read; a page here must also fit in one Kafka record), and then
 * carries LastEvaluatedKey. FilterExpression applies after Limit, as in DynamoDB.
 */
public final class ReadOperations {
  /** A page's items stay under Kafka's default 1 MB record size. */
  public static final int PAGE_BYTES = 900 * 1024;

  /** In a Scan page's answer to the edge: true when the partition has no item after this page. */
  public static final String PARTITION_DONE = "PorticoPartitionDone";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ReadOperations() {}

  /** The request's reading parameters, shared by Query and Scan. */
  private record Reading(
      Condition filter,
      ProjectionExpression projection,
      boolean countOnly,
      Integer limit,
      byte[] after,
      List<String> keyAttributes) {

    /** The key of {@code item} as LastEvaluatedKey carries it (an index's: both keys). */
    ObjectNode keyOf(Map<String, AttributeValue> item) {
      Map<String, AttributeValue> key = new java.util.LinkedHashMap<>();
      keyAttributes.forEach(name -> key.put(name, item.get(name)));
      return DynamoJson.write(key);
    }
  }

  public static ObjectNode query(
      JsonNode request, TableDefinition table, IndexDefinition index, TableItems items) {
    return query(request, table, index, items, null);
  }

  /**
   * A Query whose filter is {@code filter} when not {@code null} (the REST API's, parsed in its own
   * dialect) rather than the request's FilterExpression.
   */
  public static ObjectNode query(
      JsonNode request,
      TableDefinition table,
      IndexDefinition index,
      TableItems items,
      Condition filter) {
    KeySchema schema = index == null ? table.key() : index.key();
    ExpressionAttributes attributes = Requests.attributes(request);
    String keyCondition = Requests.text(request, "KeyConditionExpression");
    if (keyCondition == null) {
      throw new InvalidValueException(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the"
              + " request.");
    }
    KeyCondition key = KeyCondition.parse(keyCondition, attributes, schema);
    Reading reading = reading(request, table, index, attributes, filter);
    boolean forward =
        !request.has("ScanIndexForward") || request.get("ScanIndexForward").asBoolean(true);
    List<Entry> entries = new ArrayList<>();
    if (forward) {
      return page(reading, visitor -> items.scan(key.range(), reading.after(), visitor));
    }
    // Backwards: this partition key's items in the range, read forwards, then walked in reverse.
    items.scan(
        key.range(),
        null,
        (k, stored) -> {
          if (reading.after() != null
              && java.util.Arrays.compareUnsigned(k, reading.after()) >= 0) {
            return false;
          }
          entries.add(new Entry(k, stored));
          return true;
        });
    Collections.reverse(entries);
    return page(
        reading,
        visitor -> {
          for (Entry e : entries) {
            if (!visitor.visit(e.key(), e.stored())) {
              return;
            }
          }
        });
  }

  /**
   * One partition's part of a Scan: its items after ExclusiveStartKey, if the edge sent one. For
   * the edge, which goes on with the next partition, the answer also says whether this partition is
   * done ({@link #PARTITION_DONE}) and carries the last evaluated key whenever there is one.
   */
  public static ObjectNode scanPage(
      JsonNode request, TableDefinition table, IndexDefinition index, TableItems items) {
    ExpressionAttributes attributes = Requests.attributes(request);
    Reading reading = reading(request, table, index, attributes, null);
    Page page = new Page(reading);
    items.scan((KeyRange) null, reading.after(), page::offer);
    ObjectNode answer = page.answer();
    answer.put(PARTITION_DONE, !page.full);
    if (page.last != null && !answer.has("LastEvaluatedKey")) {
      answer.set("LastEvaluatedKey", reading.keyOf(page.last.item()));
    }
    return answer;
  }

  private static Reading reading(
      JsonNode request,
      TableDefinition table,
      IndexDefinition index,
      ExpressionAttributes attributes,
      Condition restFilter) {
    Condition filter =
        restFilter != null
            ? restFilter
            : Requests.condition(request, "FilterExpression", attributes);
    ProjectionExpression projection = Requests.projection(request, attributes);
    String select = Requests.text(request, "Select");
    if (select != null
        && !List.of("ALL_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")
            .contains(select)) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + select
              + "' at 'select' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
    if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && index == null) {
      throw new InvalidValueException(
          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    if (index != null) {
      if ("ALL_ATTRIBUTES".equals(select) && !index.projectionType().equals("ALL")) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not"
                + " supported for global secondary index "
                + index.name()
                + " because its projection type is not ALL");
      }
      if (request.path("ConsistentRead").asBoolean(false)) {
        throw new InvalidValueException(
            "Consistent reads are not supported on global secondary indexes");
      }
    }
    if ("COUNT".equals(select) && projection != null) {
      throw new InvalidValueException(
          "Cannot specify the ProjectionExpression when choosing to get only the Count");
    }
    Integer limit = Requests.limit(request);
    List<String> keyAttributes =
        index == null
            ? (table.key().hasSortKey()
                ? List.of(table.key().partitionKey(), table.key().sortKey())
                : List.of(table.key().partitionKey()))
            : index.keyAttributes(table.key());
    JsonNode start = request.get("ExclusiveStartKey");
    byte[] after = null;
    if (start != null && !start.isNull()) {
      Map<String, AttributeValue> startKey = DynamoJson.readItem(start);
      if (!startKey.keySet().equals(new java.util.HashSet<>(keyAttributes))) {
        throw new InvalidValueException(
            "The provided starting key is invalid: The provided key element does not match the"
                + " schema");
      }
      after =
          index == null
              ? PrimaryKey.ofKey(table.key(), startKey).encoded()
              : IndexEntries.entryKey(index, table.key(), startKey);
    }
    attributes.requireAllUsed();
    return new Reading(filter, projection, "COUNT".equals(select), limit, after, keyAttributes);
  }

  private record Entry(byte[] key, TypedItems.Stored stored) {}

  @FunctionalInterface
  private interface Source {
    void read(TypedItems.Visitor visitor);
  }

  private static ObjectNode page(Reading reading, Source source) {
    Page page = new Page(reading);
    source.read(page::offer);
    return page.answer();
  }

  /** A page being filled: what it holds, how much was evaluated, where it stopped. */
  private static final class Page {
    private final Reading reading;
    private final ArrayNode items = NODES.arrayNode();
    private int scanned;
    private int count;
    private long bytes;
    private TypedItems.Stored last;
    private boolean full;

    Page(Reading reading) {
      this.reading = reading;
    }

    /** Takes the next item in order; false once the page is full. */
    boolean offer(byte[] key, TypedItems.Stored stored) {
      int size = stored.size();
      if ((reading.limit() != null && scanned == reading.limit())
          || (bytes + size > PAGE_BYTES && scanned > 0)) {
        full = true;
        return false;
      }
      scanned++;
      last = stored;
      if (reading.filter() == null || reading.filter().test(stored.item())) {
        count++;
        bytes += size;
        if (reading.countOnly()) {
          return true;
        }
        if (reading.projection() == null) {
          // As stored: no need to read the item into values and write it out again.
          items.addRawValue(new RawValue(new String(stored.json(), StandardCharsets.UTF_8)));
        } else {
          items.add(DynamoJson.write(reading.projection().project(stored.item())));
        }
      }
      return true;
    }

    ObjectNode answer() {
      ObjectNode answer = NODES.objectNode();
      if (!reading.countOnly()) {
        answer.set("Items", items);
      }
      answer.put("Count", count);
      answer.put("ScannedCount", scanned);
      // As DynamoDB: a page that stopped at Limit has a LastEvaluatedKey even when no item follows.
      if (full || (reading.limit() != null && scanned == reading.limit())) {
        answer.set("LastEvaluatedKey", reading.keyOf(last.item()));
      }
      return answer;
    }
  }
}
