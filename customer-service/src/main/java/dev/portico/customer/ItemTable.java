package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;
import dev.portico.customer.condition.UncomparableValueException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The customers table's business rules, independent of Kafka: one command in, one {@link Outcome}
 * out; the store changes only when the command succeeds. Dispatch is by the request event's route
 * key, so any API whose routes carry these keys can drive the table.
 *
 * <p>Every write runs the same steps: validate all input (400 before anything is read), replay the
 * first result of a repeated {@code Idempotency-Key}, check preconditions ({@code If-Match}, {@code
 * If-None-Match: *}: 412; {@code x-condition}: 409), apply, and write exactly one change record per
 * effective change. An item past its TTL is absent to every operation.
 *
 * <p>Longer than most classes because every operation runs those same steps, which read as one
 * sequence here; validation, preconditions, scans and change records have classes of their own.
 */
public final class ItemTable {
  static final Duration RECEIPT_LIFETIME = Duration.ofHours(24);
  static final String CONDITION_HEADER = "x-condition";
  static final String RETURN_ON_FAILURE_HEADER = "x-return-values-on-condition-check-failure";
  static final String IDEMPOTENCY_HEADER = "idempotency-key";
  static final String REPLAYED_HEADER = "idempotent-replayed";
  static final String CONDITION_FAILED = "The conditional request failed";
  static final String SCAN_ROUTE = "GET /customer";

  /** A page stays under Kafka's default 1 MB message limit, items being at most 400 KB. */
  static final int PAGE_BYTES = 900 * 1024;

  /** One operation of the table. */
  @FunctionalInterface
  private interface Operation {
    Outcome apply(FunctionRequest request, ItemStore store, ChangeContext context)
        throws ItemValidation.Invalid;
  }

  /** The change a write makes to the current item ({@code null} when absent); null = delete. */
  @FunctionalInterface
  private interface Mutation {
    ObjectNode apply(ObjectNode current) throws ItemValidation.Invalid;
  }

  /**
   * JSON equality with numbers compared by value: 1 and 1.0 are the same number, as in DynamoDB.
   */
  private static final java.util.Comparator<JsonNode> SAME_VALUE =
      (a, b) ->
          a.isNumber() && b.isNumber()
              ? a.decimalValue().compareTo(b.decimalValue())
              : a.equals(b) ? 0 : 1;

  private final String ttlAttribute;
  private final StreamViewType view;
  private final Map<String, Operation> operations =
      Map.of(
          "POST /customer", this::putFromBody,
          "PUT /customer/{customer_id}", this::putAtPath,
          "GET /customer/{customer_id}", this::get,
          "PATCH /customer/{customer_id}", this::update,
          "DELETE /customer/{customer_id}", this::delete);

  /**
   * @param ttlAttribute the attribute holding an item's expiry in epoch seconds; empty = no TTL
   */
  public ItemTable(String ttlAttribute, StreamViewType view) {
    this.ttlAttribute = ttlAttribute == null || ttlAttribute.isEmpty() ? null : ttlAttribute;
    this.view = view;
  }

  public Outcome handle(FunctionRequest request, ItemStore store, ChangeContext context) {
    Operation operation = operations.get(request.routeKey());
    if (operation == null) {
      return Outcome.reply(
          Responses.message(
              400, "Unsupported operation for the customers table: " + request.routeKey()));
    }
    try {
      return operation.apply(request, store, context);
    } catch (ItemValidation.Invalid invalid) {
      return Outcome.reply(Responses.message(invalid.status, invalid.getMessage()));
    }
  }

  private Outcome putFromBody(FunctionRequest request, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    ObjectNode item = ItemValidation.bodyObject(request);
    String key = ItemValidation.key(item.get(ItemValidation.KEY));
    return put(request, key, item, store, context);
  }

  private Outcome putAtPath(FunctionRequest request, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    String key = pathKey(request);
    ObjectNode item = ItemValidation.bodyObject(request);
    JsonNode bodyKey = item.get(ItemValidation.KEY);
    if (bodyKey == null) {
      item.put(ItemValidation.KEY, key);
    } else if (!bodyKey.isTextual() || !bodyKey.asText().equals(key)) {
      throw new ItemValidation.Invalid(
          400, "The body's " + ItemValidation.KEY + " does not match the path's");
    }
    return put(request, key, item, store, context);
  }

  private Outcome put(
      FunctionRequest request, String key, ObjectNode item, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    ItemValidation.checkSize(item);
    ReturnValues returns =
        ReturnValues.parse(
            header(request, ReturnValues.HEADER),
            ReturnValues.ALL_NEW,
            ReturnValues.NONE,
            ReturnValues.ALL_OLD,
            ReturnValues.ALL_NEW);
    return write(request, key, current -> item, returns, null, store, context);
  }

  private Outcome update(FunctionRequest request, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    String key = pathKey(request);
    UpdateSpec spec = UpdateSpec.parse(ItemValidation.bodyObject(request));
    ReturnValues returns =
        ReturnValues.parse(
            header(request, ReturnValues.HEADER), ReturnValues.ALL_NEW, ReturnValues.values());
    Mutation mutation =
        current -> {
          ObjectNode base =
              current != null
                  ? current
                  : Json.MAPPER.createObjectNode().put(ItemValidation.KEY, key);
          ObjectNode updated = spec.applyTo(base);
          ItemValidation.checkSize(updated);
          return updated;
        };
    return write(request, key, mutation, returns, spec.attributes(), store, context);
  }

  private Outcome delete(FunctionRequest request, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    String key = pathKey(request);
    ReturnValues returns =
        ReturnValues.parse(
            header(request, ReturnValues.HEADER),
            ReturnValues.NONE,
            ReturnValues.NONE,
            ReturnValues.ALL_OLD);
    return write(request, key, current -> null, returns, null, store, context);
  }

  /** Strongly consistent read: it runs in the item's command order, after every earlier write. */
  private Outcome get(FunctionRequest request, ItemStore store, ChangeContext context)
      throws ItemValidation.Invalid {
    StoredItem stored = live(store.get(pathKey(request)), context);
    return Outcome.reply(
        stored == null ? Responses.message(404, "Item not found") : Responses.item(200, stored));
  }

  private Outcome write(
      FunctionRequest request,
      String key,
      Mutation mutation,
      ReturnValues returns,
      List<String> touched,
      ItemStore store,
      ChangeContext context)
      throws ItemValidation.Invalid {
    Preconditions preconditions = Preconditions.of(request);
    String receiptKey = receiptKey(request, key);
    if (receiptKey != null) {
      ItemStore.Receipt receipt = store.receipt(receiptKey);
      if (receipt != null
          && context.nowMillis() - receipt.atMillis() < RECEIPT_LIFETIME.toMillis()) {
        return Outcome.reply(Responses.withHeader(receipt.response(), REPLAYED_HEADER, "true"));
      }
    }
    StoredItem stored = store.get(key);
    StoredItem current = live(stored, context);
    FunctionResponse failure = preconditions.check(current);
    if (failure != null) {
      return Outcome.reply(failure);
    }
    ObjectNode next = canonical(mutation.apply(current == null ? null : current.item().deepCopy()));
    Commit commit = commit(key, stored, current, next, store, context);
    FunctionResponse response;
    if (next == null) {
      response =
          Responses.image(
              204, current == null ? null : current.item(), returns, touched, current, null);
    } else if (commit.written() == current) {
      response = Responses.image(200, next, returns, touched, current, current);
    } else {
      response =
          Responses.image(
              current == null ? 201 : 200, next, returns, touched, current, commit.written());
    }
    if (receiptKey != null) {
      store.keepReceipt(receiptKey, new ItemStore.Receipt(response, context.nowMillis()));
    }
    return new Outcome(response, commit.changes());
  }

  /**
   * Replaces the item under {@code key} with {@code next} ({@code null}: deletes it), with no
   * precondition: for the DynamoDB API, whose operations check their own conditions against {@link
   * #liveItem}. The same versions, TTL index and change records as a REST write.
   *
   * @return the change records
   */
  public List<StreamRecord> replace(
      String key, ObjectNode next, ItemStore store, ChangeContext context) {
    StoredItem stored = store.get(key);
    return commit(key, stored, live(stored, context), canonical(next), store, context).changes();
  }

  /** The item under {@code key}, or {@code null} when absent or past its TTL. */
  public ObjectNode liveItem(String key, ItemStore store, ChangeContext context) {
    StoredItem item = live(store.get(key), context);
    return item == null ? null : item.item();
  }

  /** What a write did: the item as written (the current one when unchanged), and its records. */
  private record Commit(StoredItem written, List<StreamRecord> changes) {}

  /**
   * Makes {@code next} ({@code null}: nothing) the item under {@code key}: drops a stored item past
   * its TTL first (with its service-made REMOVE record), writes nothing when {@code next} equals
   * the current item, and otherwise one change record.
   */
  private Commit commit(
      String key,
      StoredItem stored,
      StoredItem current,
      ObjectNode next,
      ItemStore store,
      ChangeContext context) {
    List<StreamRecord> changes = new ArrayList<>();
    if (stored != null && current == null) {
      changes.add(remove(key, stored, store, context, ChangeRecords.TTL));
    }
    if (next == null) {
      if (current != null) {
        changes.add(remove(key, current, store, context, null));
      }
      return new Commit(null, changes);
    }
    if (current != null && current.item().equals(SAME_VALUE, next)) {
      return new Commit(current, changes);
    }
    StoredItem written = new StoredItem(next, current == null ? 1 : current.version() + 1);
    store.put(key, written);
    reindex(key, current, written, store);
    changes.add(
        ChangeRecords.of(
            current == null ? StreamRecord.INSERT : StreamRecord.MODIFY,
            key,
            next,
            current == null ? null : current.item(),
            view,
            context,
            null));
    return new Commit(written, changes);
  }

  /**
   * One page of a scan of this partition (see {@link ScanRequest}): up to {@code limit} items
   * examined after the cursor's key, expired items skipped, the filter applied, under {@link
   * #PAGE_BYTES}. The next cursor continues in this partition, then in the next one; it is absent
   * after the last partition. A filter that reads a value it cannot compare fails the page with
   * 400.
   */
  FunctionResponse scan(ScanRequest scan, int partitions, ItemStore store, ChangeContext context) {
    var items = Json.MAPPER.createArrayNode();
    int[] examined = {0};
    long[] bytes = {0};
    String[] last = {scan.after()};
    boolean[] more = {false};
    try {
      store.scan(
          scan.after(),
          (key, stored) -> {
            if (examined[0] == scan.limit()) {
              more[0] = true;
              return false;
            }
            StoredItem item = live(stored, context);
            if (item != null && (scan.filter() == null || scan.filter().test(item.item()))) {
              int size = Json.toBytes(item.item()).length;
              if (bytes[0] + size > PAGE_BYTES) {
                more[0] = true;
                return false;
              }
              bytes[0] += size;
              items.add(item.item());
            }
            examined[0]++;
            last[0] = key;
            return true;
          });
    } catch (UncomparableValueException e) {
      return Responses.message(400, "Invalid filter expression: " + e.getMessage());
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("items", items);
    body.put("count", items.size());
    body.put("scannedCount", examined[0]);
    if (more[0]) {
      body.put("nextCursor", ScanRequest.cursor(scan.partition(), last[0]));
    } else if (scan.partition() + 1 < partitions) {
      body.put("nextCursor", ScanRequest.cursor(scan.partition() + 1, ""));
    }
    return FunctionResponse.json(200, body.toString(), Map.of());
  }

  /**
   * Deletes an expired item found by the TTL sweep, if it is still expired; the REMOVE record is
   * marked as the service's own doing.
   */
  public List<StreamRecord> expire(String key, ItemStore store, ChangeContext context) {
    StoredItem stored = store.get(key);
    if (stored == null || live(stored, context) != null) {
      return List.of();
    }
    return List.of(remove(key, stored, store, context, ChangeRecords.TTL));
  }

  private StreamRecord remove(
      String key,
      StoredItem item,
      ItemStore store,
      ChangeContext context,
      StreamRecord.UserIdentity identity) {
    store.delete(key);
    reindex(key, item, null, store);
    return ChangeRecords.of(StreamRecord.REMOVE, key, null, item.item(), view, context, identity);
  }

  private void reindex(String key, StoredItem before, StoredItem after, ItemStore store) {
    Long old = before == null ? null : expiry(before.item());
    Long now = after == null ? null : expiry(after.item());
    if (old != null && !old.equals(now)) {
      store.unindexExpiry(old, key);
    }
    if (now != null && !now.equals(old)) {
      store.indexExpiry(now, key);
    }
  }

  /** The item, or {@code null} when absent or past its TTL. */
  private StoredItem live(StoredItem stored, ChangeContext context) {
    if (stored == null) {
      return null;
    }
    Long expiresAt = expiry(stored.item());
    return expiresAt != null && expiresAt * 1000 < context.nowMillis() ? null : stored;
  }

  /** The TTL in epoch seconds; a missing or non-numeric attribute means "never". */
  Long expiry(ObjectNode item) {
    if (ttlAttribute == null) {
      return null;
    }
    JsonNode value = item.get(ttlAttribute);
    return value != null && value.isNumber() ? Math.max(0, value.longValue()) : null;
  }

  private static String receiptKey(FunctionRequest request, String key)
      throws ItemValidation.Invalid {
    String idempotencyKey = header(request, IDEMPOTENCY_HEADER);
    if (idempotencyKey == null) {
      return null;
    }
    if (idempotencyKey.isEmpty() || idempotencyKey.length() > 255) {
      throw new ItemValidation.Invalid(400, "Idempotency-Key must be 1 to 255 characters");
    }
    return key + "\u0000" + idempotencyKey;
  }

  /** The JSON form the store reads back, so equal items compare equal (1 vs 1.0 included). */
  private static ObjectNode canonical(ObjectNode item) {
    if (item == null) {
      return null;
    }
    try {
      return (ObjectNode) Json.MAPPER.readTree(Json.toBytes(item));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String header(FunctionRequest request, String name) {
    Map<String, String> headers = request.headers();
    return headers == null ? null : headers.get(name);
  }

  private static String pathKey(FunctionRequest request) throws ItemValidation.Invalid {
    Map<String, String> params = request.pathParameters();
    String key = params == null ? null : params.get(ItemValidation.KEY);
    if (key == null) {
      throw new ItemValidation.Invalid(400, "Missing the path parameter " + ItemValidation.KEY);
    }
    return ItemValidation.checkKey(key);
  }
}
