package dev.portico.customer.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.TableExpiries;
import dev.portico.customer.state.TypedItems;
import dev.portico.kit.CompactedView;
import dev.portico.table.catalog.IndexDefinition;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.value.DynamoJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The index commands a partition receives: an entry to put or delete ({@link
 * IndexMaintenance#INDEX_WRITE}), a new index to fill from the items this partition has ({@link
 * CatalogCommands#BACKFILL}), a deleted index's entries to drop; a TTL index to build ({@link
 * CatalogCommands#TTL_BACKFILL}) or drop; and a catalog change every later command must see ({@link
 * CatalogCommands#CATALOG_SYNC}: a stream enabled or disabled). A command for a table or index that
 * no longer exists (or was created again since: the creation time tells) is ignored.
 */
final class IndexCommands {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final CompactedView<TableDefinition> catalog;
  private final String commandsTopic;
  private final Duration catalogWait;

  IndexCommands(
      CompactedView<TableDefinition> catalog, String commandsTopic, Duration catalogWait) {
    this.catalog = catalog;
    this.commandsTopic = commandsTopic;
    this.catalogWait = catalogWait;
  }

  void process(
      String routeKey,
      String body,
      PartitionStore store,
      Consumer<ProducerRecord<String, byte[]>> send) {
    JsonNode command = read(body);
    String table = command.path("table").asText();
    String indexName = command.path("index").asText();
    switch (routeKey) {
      case CatalogCommands.DROP_INDEX -> TypedItems.deleteIndex(store, table, indexName);
      case CatalogCommands.BACKFILL -> backfill(command, store, send);
      case CatalogCommands.CATALOG_SYNC -> catchUpCatalog();
      case CatalogCommands.TTL_DROP -> {
        catchUpCatalog();
        new TableExpiries(store, table).deleteAll();
      }
      case CatalogCommands.TTL_BACKFILL -> ttlBackfill(command, store);
      default -> {
        Optional<IndexDefinition> index = live(command, catalog.getFresh(table, catalogWait));
        if (index.isEmpty()) {
          return;
        }
        TypedItems entries = TypedItems.index(store, table, indexName);
        byte[] key = HEX.parseHex(command.path("key").asText());
        JsonNode item = command.get("item");
        if (item == null) {
          entries.delete(key);
        } else {
          entries.put(key, DynamoJson.readItem(item));
        }
      }
    }
  }

  /**
   * Sends an entry for every item of the table this partition keeps. The catalog is read to its end
   * first: the index is in it (it committed with this command), so every later write here sees the
   * index and keeps its entries itself.
   */
  private void backfill(
      JsonNode command, PartitionStore store, Consumer<ProducerRecord<String, byte[]>> send) {
    catchUpCatalog();
    String name = command.path("table").asText();
    Optional<TableDefinition> table = catalog.get(name);
    Optional<IndexDefinition> index = live(command, table);
    if (index.isEmpty()) {
      return;
    }
    IndexMaintenance maintenance =
        new IndexMaintenance(table.get(), List.of(index.get()), commandsTopic, send);
    TypedItems.table(store, name)
        .scan(
            null,
            null,
            (key, stored) -> {
              maintenance.changed(null, stored.item());
              return true;
            });
  }

  /**
   * Builds the TTL index of a table whose TTL was just enabled from the items this partition has,
   * once the catalog is read to its end (every later write here keeps the index itself). Stale if
   * the table's TTL changed since: the command that changed it follows.
   */
  private void ttlBackfill(JsonNode command, PartitionStore store) {
    catchUpCatalog();
    String name = command.path("table").asText();
    catalog
        .get(name)
        .filter(t -> t.createdAtMillis() == command.path("createdAt").asLong())
        .filter(t -> command.path("attribute").asText().equals(t.ttlAttribute()))
        .ifPresent(
            table ->
                TimeToLive.rebuild(
                    table, TypedItems.table(store, name), new TableExpiries(store, name)));
  }

  /**
   * Reads the catalog to its end, on the loop's thread. Run for a command that committed with a
   * catalog change (a backfill, a dropped table), so that every later command in this partition
   * sees that change: none meets a deleted table, or misses a new index, in a lagging view.
   */
  void catchUpCatalog() {
    try {
      catalog.catchUp().get(catalogWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the table catalog", e);
    } catch (Exception e) {
      throw new IllegalStateException("the table catalog could not be read to its end", e);
    }
  }

  /** The command's index, if its table (the same one, not a newer one) still has it. */
  private static Optional<IndexDefinition> live(JsonNode command, Optional<TableDefinition> table) {
    return table
        .filter(t -> t.createdAtMillis() == command.path("createdAt").asLong())
        .flatMap(t -> t.index(command.path("index").asText()));
  }

  private static JsonNode read(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
