package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.table.api.DynamoException;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.ItemSize;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * BatchWriteItem (up to 25 puts and deletes) and BatchGetItem (up to 100 keys), as DynamoDB has
 * them: the whole request is checked first (tables, keys, sizes, duplicates: a ValidationException
 * and nothing written), then each request runs as its own single-item command, side by side. A
 * request the table service did not answer in time comes back unprocessed (UnprocessedItems,
 * UnprocessedKeys) for the caller to retry; as in DynamoDB, the batch is not atomic.
 */
final class Batches {
  static final int MAX_WRITES = 25;
  static final int MAX_KEYS = 100;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final DynamoApi api;

  Batches(DynamoApi api) {
    this.api = api;
  }

  /** One request of a batch, checked: its table, partition key and the single-item command. */
  private record Single(
      String table, JsonNode original, String operation, PrimaryKey key, String body) {}

  Future<ObjectNode> write(JsonNode request) {
    JsonNode all = requestItems(request);
    int total = 0;
    for (JsonNode writes : all) {
      total += writes.size();
    }
    if (total > MAX_WRITES) {
      throw new InvalidValueException(
          "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map"
              + " value must satisfy constraint: [Member must have length less than or equal to"
              + " 25, Member must have length greater than or equal to 1]");
    }
    return tables(all)
        .compose(
            tables -> {
              List<Single> singles = new ArrayList<>();
              for (Iterator<String> names = all.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                TableDefinition table = tables.get(name);
                Set<String> seen = new HashSet<>();
                for (JsonNode write : all.get(name)) {
                  Single single = writeRequest(table, write);
                  if (!seen.add(java.util.HexFormat.of().formatHex(single.key().encoded()))) {
                    throw new InvalidValueException(
                        "Provided list of item keys contains duplicates");
                  }
                  singles.add(single);
                }
              }
              return run(
                  singles,
                  (single, answer) -> {},
                  unprocessed -> {
                    ObjectNode out = NODES.objectNode();
                    ObjectNode left = out.putObject("UnprocessedItems");
                    unprocessed.forEach(
                        s -> {
                          ArrayNode list =
                              left.has(s.table())
                                  ? (ArrayNode) left.get(s.table())
                                  : left.putArray(s.table());
                          list.add(s.original());
                        });
                    return out;
                  });
            });
  }

  Future<ObjectNode> get(JsonNode request) {
    JsonNode all = requestItems(request);
    int total = 0;
    for (JsonNode table : all) {
      total += table.path("Keys").size();
    }
    if (total > MAX_KEYS) {
      throw new InvalidValueException("Too many items requested for the BatchGetItem call");
    }
    return tables(all)
        .compose(
            tables -> {
              List<Single> singles = new ArrayList<>();
              for (Iterator<String> names = all.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                TableDefinition table = tables.get(name);
                JsonNode spec = all.get(name);
                Set<String> seen = new HashSet<>();
                for (JsonNode keyNode : spec.path("Keys")) {
                  PrimaryKey key = PrimaryKey.ofKey(table.key(), DynamoJson.readItem(keyNode));
                  if (!seen.add(java.util.HexFormat.of().formatHex(key.encoded()))) {
                    throw new InvalidValueException(
                        "Provided list of item keys contains duplicates");
                  }
                  ObjectNode body = ((ObjectNode) spec).deepCopy();
                  body.remove("Keys");
                  body.put("TableName", name);
                  body.set("Key", keyNode);
                  singles.add(new Single(name, keyNode, "GetItem", key, body.toString()));
                }
              }
              ObjectNode out = NODES.objectNode();
              ObjectNode responses = out.putObject("Responses");
              tables.keySet().forEach(responses::putArray);
              return run(
                  singles,
                  (single, answer) -> {
                    if (answer.has("Item")) {
                      synchronized (responses) {
                        ((ArrayNode) responses.get(single.table())).add(answer.get("Item"));
                      }
                    }
                  },
                  unprocessed -> {
                    ObjectNode left = out.putObject("UnprocessedKeys");
                    unprocessed.forEach(
                        s -> {
                          ObjectNode spec = (ObjectNode) left.get(s.table());
                          if (spec == null) {
                            spec = ((ObjectNode) all.get(s.table())).deepCopy();
                            spec.putArray("Keys");
                            left.set(s.table(), spec);
                          }
                          ((ArrayNode) spec.get("Keys")).add(s.original());
                        });
                    return out;
                  });
            });
  }

  private static JsonNode requestItems(JsonNode request) {
    JsonNode all = request.get("RequestItems");
    if (all == null || !all.isObject() || all.isEmpty()) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint:"
              + " Member must not be null");
    }
    return all;
  }

  /**
   * Every table the batch names, from the catalog (ResourceNotFoundException for a missing one).
   */
  private Future<Map<String, TableDefinition>> tables(JsonNode all) {
    Map<String, TableDefinition> tables = new java.util.LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Iterator<String> names = all.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      chain =
          chain.compose(
              v ->
                  api.table(name)
                      .map(
                          t -> {
                            tables.put(name, t);
                            return null;
                          }));
    }
    return chain.map(v -> tables);
  }

  private static Single writeRequest(TableDefinition table, JsonNode write) {
    JsonNode put = write.get("PutRequest");
    JsonNode delete = write.get("DeleteRequest");
    if ((put == null) == (delete == null)) {
      throw new InvalidValueException(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
              + " the supported datatypes");
    }
    ObjectNode body = NODES.objectNode();
    body.put("TableName", table.name());
    if (put != null) {
      Map<String, dev.portico.table.value.AttributeValue> item =
          DynamoJson.readItem(put.get("Item"));
      ItemSize.check(item);
      body.set("Item", put.get("Item"));
      return new Single(
          table.name(), write, "PutItem", PrimaryKey.ofItem(table.key(), item), body.toString());
    }
    PrimaryKey key = PrimaryKey.ofKey(table.key(), DynamoJson.readItem(delete.get("Key")));
    body.set("Key", delete.get("Key"));
    return new Single(table.name(), write, "DeleteItem", key, body.toString());
  }

  /**
   * Runs every single request side by side; {@code done} sees each answer, {@code finish} gets the
   * requests that did not run (the table service did not answer) and builds the answer. An error
   * the table service gave one of them fails the batch with it.
   */
  private Future<ObjectNode> run(
      List<Single> singles,
      java.util.function.BiConsumer<Single, ObjectNode> done,
      Function<List<Single>, ObjectNode> finish) {
    List<Single> unprocessed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> all = new ArrayList<>();
    for (Single single : singles) {
      all.add(
          api.itemCommand(
                  single.operation(), single.table(), single.key().partition(), single.body())
              .<Void>map(
                  answer -> {
                    done.accept(single, answer);
                    return null;
                  })
              .recover(
                  failure -> {
                    if (failure instanceof DynamoException e
                        && e.type().equals(DynamoException.INTERNAL)) {
                      unprocessed.add(single);
                      return Future.succeededFuture();
                    }
                    return Future.failedFuture(failure);
                  }));
    }
    return Future.all(all).map(v -> finish.apply(unprocessed));
  }
}
