package dev.portico.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.StreamRecord;
import java.util.Map;

/**
 * The customers table's business rules, independent of Kafka: one command in, one {@link Outcome}
 * out, the store updated only when the command succeeds. Dispatch is by the request event's route
 * key, so any API whose routes carry these keys can drive the table.
 */
public final class ItemTable {
  /** One operation of the table. */
  @FunctionalInterface
  interface Operation {
    Outcome apply(FunctionRequest request, ItemStore store, CommandMeta meta)
        throws ItemValidation.Invalid;
  }

  private final Map<String, Operation> operations =
      Map.of(
          "POST /customer", ItemTable::put,
          "GET /customer/{customer_id}", ItemTable::get);

  public Outcome handle(FunctionRequest request, ItemStore store, CommandMeta meta) {
    Operation operation = operations.get(request.routeKey());
    if (operation == null) {
      return Outcome.reply(
          Responses.message(
              400, "Unsupported operation for the customers table: " + request.routeKey()));
    }
    try {
      return operation.apply(request, store, meta);
    } catch (ItemValidation.Invalid invalid) {
      return Outcome.reply(Responses.message(invalid.status, invalid.getMessage()));
    }
  }

  /** Create or replace; an identical item is a no-op (no new version, no stream record). */
  static Outcome put(FunctionRequest request, ItemStore store, CommandMeta meta)
      throws ItemValidation.Invalid {
    ObjectNode item = ItemValidation.bodyObject(request);
    String key = ItemValidation.key(item.get(ItemValidation.KEY));
    ItemValidation.checkSize(item);
    StoredItem old = store.get(key);
    if (old == null) {
      StoredItem created = new StoredItem(item, 1);
      store.put(key, created);
      return new Outcome(
          Responses.item(201, created),
          ChangeRecords.of(StreamRecord.INSERT, key, item, null, meta));
    }
    if (old.item().equals(item)) {
      return Outcome.reply(Responses.item(200, old));
    }
    StoredItem replaced = new StoredItem(item, old.version() + 1);
    store.put(key, replaced);
    return new Outcome(
        Responses.item(200, replaced),
        ChangeRecords.of(StreamRecord.MODIFY, key, item, old.item(), meta));
  }

  /** Strongly consistent read: it runs in the item's command order, after every earlier write. */
  static Outcome get(FunctionRequest request, ItemStore store, CommandMeta meta)
      throws ItemValidation.Invalid {
    String key = ItemValidation.checkKey(pathKey(request));
    StoredItem stored = store.get(key);
    return Outcome.reply(
        stored == null ? Responses.message(404, "Item not found") : Responses.item(200, stored));
  }

  private static String pathKey(FunctionRequest request) throws ItemValidation.Invalid {
    Map<String, String> params = request.pathParameters();
    String key = params == null ? null : params.get(ItemValidation.KEY);
    if (key == null) {
      throw new ItemValidation.Invalid(400, "Missing the path parameter " + ItemValidation.KEY);
    }
    return key;
  }
}
