package dev.portico.customer;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.StreamRecord;
import dev.portico.contracts.Topics;
import dev.portico.customer.dynamo.DynamoCommands;
import dev.portico.customer.state.PartitionItems;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.TableItems;
import dev.portico.customer.state.TableState;
import dev.portico.customer.state.TypedItems;
import dev.portico.kit.TransactionalLoop;
import dev.portico.table.catalog.BundledTable;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter around {@link ItemTable}: parses a request event, runs it against its
 * partition's state, and sends the reply (to the address in the request's headers) and the change
 * records, all inside the loop's transaction, which also carries the state's changelog and the
 * consumer offsets. Two ticks sweep expired items (TTL) and forget receipts older than 24 h.
 */
final class CommandProcessor implements TransactionalLoop.Processor {
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

  /** The bundled table; more tables share the same state layout later. */
  static final String TABLE = "customers";

  /**
   * Marks a command forwarded to the partition that serves it (a scan page, a REST query); the name
   * dates from when scans were the only such commands.
   */
  static final String FORWARDED = "portico-scan-hop";

  private final ItemTable table;
  private final DynamoCommands dynamo;
  private final TableState state;
  private final String commandsTopic;
  private final BoundTopic<FunctionRequest> commands;
  private final BoundTopic<StreamRecord> changes;
  private final int partitions;

  CommandProcessor(
      ItemTable table,
      DynamoCommands dynamo,
      TableState state,
      String commandsTopic,
      String changesTopic,
      int partitions) {
    this.table = table;
    this.dynamo = dynamo;
    this.state = state;
    this.commandsTopic = commandsTopic;
    this.commands = Topics.CUSTOMER_COMMANDS.named(commandsTopic);
    this.changes = Topics.CUSTOMER_CHANGES.named(changesTopic);
    this.partitions = partitions;
  }

  @Override
  public void process(ConsumerRecord<String, byte[]> command, TransactionalLoop.Transaction tx) {
    PartitionStore store = state.partition(command.partition());
    if (store == null) {
      // Only possible if the group assigned a partition whose restore failed: never serve it.
      throw new IllegalStateException("partition " + command.partition() + " is not ready");
    }
    PartitionChanges changes =
        new PartitionChanges(store, command.timestamp(), command.offset() * 10_000, TABLE);
    FunctionRequest request = readRequest(command);
    if (request == null) {
      reply(command, Responses.message(400, "Malformed request event"), tx);
      return;
    }
    if (DynamoCommands.serves(request.routeKey())) {
      TypedCustomers customers =
          new TypedCustomers(
              table,
              new PartitionItems(store, TABLE),
              changes,
              change -> emit(change, command.timestamp(), tx));
      FunctionResponse response =
          dynamo.process(request, store, customers, command.timestamp(), record -> tx.send(record));
      if (response != null) {
        reply(command, response, tx);
      }
      return;
    }
    PartitionItems items = new PartitionItems(store, TABLE);
    if (TableQuery.ROUTE.equals(request.routeKey())) {
      query(command, request, store, new TypedCustomers(table, items, changes, change -> {}), tx);
      return;
    }
    if (ItemTable.SCAN_ROUTE.equals(request.routeKey())) {
      scan(command, request, items, changes, tx);
      return;
    }
    Outcome outcome = table.handle(request, items, changes);
    reply(command, outcome.response(), tx);
    outcome.changes().forEach(change -> emit(change, command.timestamp(), tx));
  }

  /** The command's request event, or {@code null} when it is unreadable or a tombstone. */
  private FunctionRequest readRequest(ConsumerRecord<String, byte[]> command) {
    try {
      return commands.read(command);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * A scan page is served by the partition its cursor names; a scan command that arrives elsewhere
   * (it has no item key) is {@linkplain #forward forwarded} there.
   */
  private void scan(
      ConsumerRecord<String, byte[]> command,
      FunctionRequest request,
      PartitionItems items,
      PartitionChanges changes,
      TransactionalLoop.Transaction tx) {
    ScanRequest scan;
    try {
      scan = ScanRequest.parse(request, partitions);
    } catch (ItemValidation.Invalid invalid) {
      reply(command, Responses.message(invalid.status, invalid.getMessage()), tx);
      return;
    }
    if (scan.partition() == command.partition()) {
      reply(command, table.scan(scan, partitions, items, changes), tx);
    } else {
      forward(command, scan.partition(), tx);
    }
  }

  /**
   * A REST Query of a table ({@link TableQuery}) is served by the partition its partition key is
   * keyed to, as the DynamoDB API's Query; arriving elsewhere (the REST route cannot compute that
   * key), it is forwarded there.
   */
  private void query(
      ConsumerRecord<String, byte[]> command,
      FunctionRequest request,
      PartitionStore store,
      TypedCustomers customers,
      TransactionalLoop.Transaction tx) {
    TableQuery query;
    try {
      query = TableQuery.parse(request, dynamo::definition);
    } catch (ItemValidation.Invalid invalid) {
      reply(command, Responses.message(invalid.status, invalid.getMessage()), tx);
      return;
    }
    int owner = Utils.toPositive(Utils.murmur2(query.commandKey().getBytes(UTF_8))) % partitions;
    if (owner != command.partition()) {
      forward(command, owner, tx);
      return;
    }
    TableItems items =
        query.index() != null
            ? TypedItems.index(store, query.table(), query.index().name())
            : BundledTable.is(query.table()) ? customers : TypedItems.table(store, query.table());
    reply(command, query.run(items), tx);
  }

  /**
   * Sends a command to the partition that serves it, inside this transaction, with its reply
   * address: that partition answers the caller directly. Being ordered with that partition's
   * writes, its answer reflects every write acknowledged before the request. A command that was
   * forwarded once is never forwarded again (only a changed partition count could ask for it).
   */
  private void forward(
      ConsumerRecord<String, byte[]> command, int partition, TransactionalLoop.Transaction tx) {
    if (ProtocolHeaders.get(command.headers(), FORWARDED) != null) {
      LOG.error(
          "Command forwarded to partition {} but meant for {}", command.partition(), partition);
      reply(
          command,
          Responses.message(503, "The table is being repartitioned; retry the request"),
          tx);
      return;
    }
    Headers headers = new RecordHeaders(command.headers().toArray());
    ProtocolHeaders.put(headers, FORWARDED, Integer.toString(partition));
    tx.send(
        new ProducerRecord<>(
            commandsTopic,
            partition,
            command.timestamp(),
            command.key(),
            command.value(),
            headers));
  }

  /**
   * Deletes the items whose TTL passed, on every partition this replica owns: the customers table's
   * and team tables' with TTL enabled.
   */
  void sweepExpired(TransactionalLoop.Transaction tx) {
    long now = tx.startedAtMillis();
    for (PartitionStore store : state.owned()) {
      PartitionItems items = new PartitionItems(store, TABLE);
      PartitionChanges changes = new PartitionChanges(store, now, 0, TABLE);
      for (String key : items.expiredBy(now / 1000)) {
        table.expire(key, items, changes).forEach(c -> emit(c, now, tx));
      }
      dynamo.sweepExpired(store, now, record -> tx.send(record));
    }
  }

  /** Forgets the receipts of idempotent writes once they are older than 24 h. */
  void forgetReceipts(TransactionalLoop.Transaction tx) {
    long cutoff = tx.startedAtMillis() - ItemTable.RECEIPT_LIFETIME.toMillis();
    for (PartitionStore store : state.owned()) {
      new PartitionItems(store, TABLE).forgetReceiptsBefore(cutoff);
    }
  }

  private void reply(
      ConsumerRecord<String, byte[]> command,
      FunctionResponse response,
      TransactionalLoop.Transaction tx) {
    Optional<ReplyAddress> address;
    try {
      address = ReplyAddress.from(command.headers());
    } catch (IllegalArgumentException badAddress) {
      LOG.warn("Dropping the reply: {}", badAddress.getMessage());
      return;
    }
    // Empty: an asynchronous invocation, nobody waits for a reply.
    address.ifPresent(to -> tx.send(to.reply(response)));
  }

  private void emit(StreamRecord change, long timestamp, TransactionalLoop.Transaction tx) {
    String key = change.dynamodb().keys().get(ItemValidation.KEY).asText();
    // Partitioned by item key like the commands, so each item's changes stay in order.
    tx.send(changes.record(null, timestamp, key, change, change.eventID()));
  }
}
