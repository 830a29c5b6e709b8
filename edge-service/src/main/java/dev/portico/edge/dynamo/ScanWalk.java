package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a Scan, read partition by partition: each partition of the commands topic holds its
 * share of the table in key order, and its page comes from a command sent to it. The walk starts
 * where ExclusiveStartKey's partition key is kept (or at the segment's first partition) and goes on
 * to the next partition while the page has room: until Limit items were evaluated or about 1 MB of
 * items was gathered. A parallel scan's segment is every TotalSegments-th partition from its number
 * (segments past the partition count are empty).
 */
final class ScanWalk {
  /** A page stops gathering once its items pass this, as DynamoDB's stop at 1 MB. */
  static final int PAGE_BYTES = 1024 * 1024;

  private static final String PARTITION_DONE = "PorticoPartitionDone";

  private final DynamoApi api;
  private final TableDefinition table;
  private final ObjectNode request;
  private final List<Integer> partitions = new ArrayList<>();
  private final Integer limit;
  private final boolean count;
  private final ArrayNode items = JsonNodeFactory.instance.arrayNode();
  private int gathered;
  private int scanned;
  private long bytes;

  ScanWalk(DynamoApi api, TableDefinition table, JsonNode request) {
    this.api = api;
    this.table = table;
    this.request = (ObjectNode) request.deepCopy();
    this.limit = Requests.limit(request);
    this.count = "COUNT".equals(Requests.text(request, "Select"));
    int total = api.partitions();
    int segments = segmentsOf(request);
    int segment = segments == 1 ? 0 : request.get("Segment").asInt();
    JsonNode start = request.get("ExclusiveStartKey");
    int first = segment;
    if (start != null && !start.isNull()) {
      first = TableRouting.partitionOf(startKey(table, request, start), total);
      if (first % segments != segment) {
        throw new InvalidValueException(
            "The provided Exclusive start key does not map to the provided Segment and"
                + " TotalSegments values.");
      }
    }
    for (int p = first; p < total; p += segments) {
      partitions.add(p);
    }
  }

  /** The record key of the partition ExclusiveStartKey's item (or index entry) is kept in. */
  private static String startKey(TableDefinition table, JsonNode request, JsonNode start) {
    var attributes = DynamoJson.readItem(start);
    IndexDefinition index = DynamoApi.index(table, request);
    if (index == null) {
      return IndexEntries.commandKey(
          table.name(), PrimaryKey.ofKey(table.key(), attributes).partition());
    }
    return IndexEntries.commandKey(
        table.name(), index.name(), PrimaryKey.ofItem(index.key(), attributes).partition());
  }

  private static int segmentsOf(JsonNode request) {
    JsonNode total = request.get("TotalSegments");
    JsonNode segment = request.get("Segment");
    if (total == null && segment == null) {
      return 1;
    }
    if (total == null || segment == null) {
      throw new InvalidValueException(
          "The TotalSegments parameter is required but was not present in the request when"
              + " Segment parameter is present");
    }
    if (!total.canConvertToInt() || total.asInt() < 1 || total.asInt() > 1_000_000) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + total.asText()
              + "' at 'totalSegments' failed to satisfy constraint: Member must have value"
              + " between 1 and 1000000");
    }
    if (!segment.canConvertToInt() || segment.asInt() < 0 || segment.asInt() >= total.asInt()) {
      throw new InvalidValueException(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments:"
              + " Segment: "
              + segment.asText()
              + " is >= TotalSegments: "
              + total.asText());
    }
    return total.asInt();
  }

  Future<ObjectNode> run() {
    return next(0);
  }

  private Future<ObjectNode> next(int index) {
    if (index == partitions.size()) {
      return Future.succeededFuture(answer(null));
    }
    ObjectNode page = request.deepCopy();
    page.remove(List.of("Segment", "TotalSegments"));
    if (index > 0) {
      page.remove("ExclusiveStartKey");
    }
    if (limit != null) {
      page.put("Limit", limit - scanned);
    }
    return api.command("Scan", partitions.get(index), page.toString())
        .compose(
            answer -> {
              scanned += answer.path("ScannedCount").asInt();
              gathered += answer.path("Count").asInt();
              for (JsonNode item : answer.path("Items")) {
                bytes += item.toString().length();
                items.add(item);
              }
              JsonNode last = answer.get("LastEvaluatedKey");
              boolean partitionDone = answer.path(PARTITION_DONE).asBoolean(true);
              boolean pageFull =
                  (limit != null && scanned >= limit) || bytes >= PAGE_BYTES || !partitionDone;
              if (pageFull) {
                boolean more = !partitionDone || index + 1 < partitions.size();
                return Future.succeededFuture(answer(more ? last : null));
              }
              return next(index + 1);
            });
  }

  private ObjectNode answer(JsonNode lastEvaluatedKey) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (!count) {
      out.set("Items", items);
    }
    out.put("Count", gathered);
    out.put("ScannedCount", scanned);
    if (lastEvaluatedKey != null) {
      out.set("LastEvaluatedKey", lastEvaluatedKey);
    }
    return out;
  }
}
