package dev.portico.customer;

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
import dev.portico.customer.state.TableState;
import dev.portico.kit.TransactionalLoop;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

  /** Marks a scan command this processor forwarded to the partition its cursor names. */
  static final String SCAN_HOP = "portico-scan-hop";

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
   * A scan page is served by the partition its cursor names. A scan command that arrives elsewhere
   * (it has no item key) is forwarded there, inside this transaction, with its reply address; that
   * partition answers the caller directly. Being ordered with that partition's writes, a page
   * reflects every write acknowledged before the page was requested.
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
    } else if (ProtocolHeaders.get(command.headers(), SCAN_HOP) != null) {
      LOG.error(
          "Scan forwarded to partition {} but meant for {}", command.partition(), scan.partition());
      reply(
          command, Responses.message(503, "The table is being repartitioned; retry the scan"), tx);
    } else {
      Headers headers = new RecordHeaders(command.headers().toArray());
      ProtocolHeaders.put(headers, SCAN_HOP, Integer.toString(scan.partition()));
      tx.send(
          new ProducerRecord<>(
              commandsTopic,
              scan.partition(),
              command.timestamp(),
              command.key(),
              command.value(),
              headers));
    }
  }

  /** Deletes the items whose TTL passed, on every partition this replica owns. */
  void sweepExpired(TransactionalLoop.Transaction tx) {
    long now = tx.startedAtMillis();
    for (PartitionStore store : state.owned()) {
      PartitionItems items = new PartitionItems(store, TABLE);
      PartitionChanges changes = new PartitionChanges(store, now, 0, TABLE);
      for (String key : items.expiredBy(now / 1000)) {
        table.expire(key, items, changes).forEach(c -> emit(c, now, tx));
      }
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
