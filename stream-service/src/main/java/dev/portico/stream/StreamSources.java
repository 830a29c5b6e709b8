package dev.portico.stream;

import dev.portico.kit.CompactedView;
import dev.portico.table.catalog.TableDefinition;
import java.time.Duration;

/**
 * Finds the stream a request names: {@code customers} is the bundled table's stream on its own
 * topic; any other name is a team table, looked up in the table catalog, whose stream is its share
 * of the team tables' changes topic. Blocking (a catalog catch-up for a name the view lacks): call
 * it on a worker thread.
 */
final class StreamSources {
  /** How long a lookup of a name the catalog view lacks waits for the view to catch up. */
  private static final Duration CATALOG_WAIT = Duration.ofSeconds(2);

  private final StreamSource customers;
  private final String tableChanges;
  private final CompactedView<TableDefinition> catalog;

  StreamSources(
      String customerChanges, String tableChanges, CompactedView<TableDefinition> catalog) {
    this.customers = StreamSource.customers(customerChanges);
    this.tableChanges = tableChanges;
    this.catalog = catalog;
  }

  /** The stream of table {@code name}, or a 404 when no table of that name has one. */
  StreamSource find(String name) {
    if (name.equals(StreamSource.CUSTOMERS)) {
      return customers;
    }
    TableDefinition table =
        catalog
            .getFresh(name, CATALOG_WAIT)
            .orElseThrow(
                () ->
                    StreamError.noStream(
                        "Table " + SequenceNumbers.abbreviate(name) + " does not exist"));
    if (table.streamViewType() == null) {
      table = caughtUp(name, table); // UpdateTable may have just enabled one
    }
    if (table.streamViewType() == null) {
      throw StreamError.noStream(
          "Table "
              + name
              + " has no stream: create it with a StreamSpecification, or enable one with"
              + " UpdateTable, to read its changes");
    }
    return StreamSource.teamTable(tableChanges, table);
  }

  /** The table as the catalog has it once read to its end ({@code known} if that fails). */
  private TableDefinition caughtUp(String name, TableDefinition known) {
    try {
      catalog.catchUp().get(CATALOG_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return known;
    } catch (Exception slowOrFailed) {
      return known;
    }
    return catalog.get(name).orElse(known);
  }
}
