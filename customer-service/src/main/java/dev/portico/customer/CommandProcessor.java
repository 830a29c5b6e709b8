package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter around {@link ItemTable}: parses a request event, runs it against the
 * partition's stores, and forwards the reply (to the address in the request's headers) and the
 * change records. Store changelogs, reply and changes commit in one Kafka transaction. Two
 * wall-clock punctuations sweep expired items (TTL) and forget receipts older than 24 h.
 */
final class CommandProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
  private static final String LAST_SEQUENCE = "last";

  /** Marks a scan command this processor forwarded to the partition its cursor names. */
  static final String SCAN_HOP = "portico-scan-hop";

  private final ItemTable table;
  private final Duration ttlSweepInterval;
  private final int partitions;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StoredItem> items;
  private KeyValueStore<String, String> ttlIndex;
  private KeyValueStore<String, ItemStore.Receipt> receipts;
  private KeyValueStore<String, Long> sequences;
  private ItemStore store;

  CommandProcessor(ItemTable table, Duration ttlSweepInterval, int partitions) {
    this.table = table;
    this.ttlSweepInterval = ttlSweepInterval;
    this.partitions = partitions;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    items = context.getStateStore(CustomerTopology.STORE);
    ttlIndex = context.getStateStore(CustomerTopology.TTL_INDEX);
    receipts = context.getStateStore(CustomerTopology.RECEIPTS);
    sequences = context.getStateStore(CustomerTopology.SEQUENCES);
    store = new StreamsItemStore();
    context.schedule(ttlSweepInterval, PunctuationType.WALL_CLOCK_TIME, this::sweepExpired);
    context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::forgetReceipts);
  }

  @Override
  public void process(Record<String, byte[]> command) {
    RecordMetadata position = context.recordMetadata().orElseThrow();
    Changes changes = new Changes(command.timestamp(), position.offset() * 10_000);
    FunctionRequest request;
    try {
      request = Json.fromBytes(command.value(), FunctionRequest.class);
    } catch (RuntimeException unreadable) {
      reply(command, Responses.message(400, "Malformed request event"));
      return;
    }
    if (ItemTable.SCAN_ROUTE.equals(request.routeKey())) {
      scan(command, request, position.partition(), changes);
      return;
    }
    Outcome outcome = table.handle(request, store, changes);
    reply(command, outcome.response());
    outcome.changes().forEach(change -> emit(change, command.timestamp()));
  }

  /**
   * A scan page is served by the partition its cursor names. A scan command that arrives elsewhere
   * (it has no item key) is forwarded there, inside this transaction, with its reply address; that
   * partition answers the caller directly. Being ordered with that partition's writes, a page
   * reflects every write acknowledged before the page was requested.
   */
  private void scan(
      Record<String, byte[]> command, FunctionRequest request, int partition, Changes changes) {
    ScanRequest scan;
    try {
      scan = ScanRequest.parse(request, partitions);
    } catch (ItemValidation.Invalid invalid) {
      reply(command, Responses.message(invalid.status, invalid.getMessage()));
      return;
    }
    if (scan.partition() == partition) {
      reply(command, table.scan(scan, partitions, store, changes));
    } else if (ProtocolHeaders.get(command.headers(), SCAN_HOP) != null) {
      LOG.error("Scan forwarded to partition {} but meant for {}", partition, scan.partition());
      reply(command, Responses.message(503, "The table is being repartitioned; retry the scan"));
    } else {
      Headers headers = new RecordHeaders(command.headers().toArray());
      ProtocolHeaders.put(headers, SCAN_HOP, Integer.toString(scan.partition()));
      context.forward(
          new Record<String, Object>(
              command.key(),
              new ScanForward(scan.partition(), command.value()),
              command.timestamp(),
              headers),
          CustomerTopology.SCAN_SINK);
    }
  }

  private void sweepExpired(long now) {
    String upTo = TtlIndex.upperBound(now / 1000);
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, String> entries = ttlIndex.range(TtlIndex.LOWEST, upTo)) {
      entries.forEachRemaining(entry -> due.add(entry.value));
    }
    Changes changes = new Changes(now, 0);
    for (String key : due) {
      table.expire(key, store, changes).forEach(change -> emit(change, now));
    }
  }

  private void forgetReceipts(long now) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, ItemStore.Receipt> all = receipts.all()) {
      while (all.hasNext()) {
        KeyValue<String, ItemStore.Receipt> entry = all.next();
        if (now - entry.value.atMillis() >= ItemTable.RECEIPT_LIFETIME.toMillis()) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(receipts::delete);
  }

  private void reply(Record<String, byte[]> command, FunctionResponse response) {
    Optional<ReplyAddress> address;
    try {
      address = ReplyAddress.from(command.headers());
    } catch (IllegalArgumentException badAddress) {
      LOG.warn("Dropping the reply: {}", badAddress.getMessage());
      return;
    }
    if (address.isEmpty()) {
      return; // an asynchronous invocation: nobody waits for a reply
    }
    ReplyAddress to = address.get();
    context.forward(
        new Record<String, Object>(
            to.correlationId(),
            new AddressedReply(to.topic(), to.partition(), response),
            command.timestamp(),
            to.replyHeaders()),
        CustomerTopology.REPLIES_SINK);
  }

  private void emit(StreamRecord change, long timestamp) {
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, change.eventID());
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_TYPE, "StreamRecord");
    ProtocolHeaders.put(headers, ProtocolHeaders.SCHEMA_VERSION, "1");
    String key = change.dynamodb().keys().get(ItemValidation.KEY);
    context.forward(
        new Record<String, Object>(key, change, timestamp, headers), CustomerTopology.CHANGES_SINK);
  }

  /**
   * Sequence numbers of this partition: at least {@code floor} (a command's offset x 10,000), and
   * always above the last one used, which is kept in a store so it survives restarts.
   */
  private final class Changes implements ChangeContext {
    private final long now;
    private final long floor;

    Changes(long now, long floor) {
      this.now = now;
      this.floor = floor;
    }

    @Override
    public long nowMillis() {
      return now;
    }

    @Override
    public String nextSequenceNumber() {
      Long last = sequences.get(LAST_SEQUENCE);
      long next = Math.max(floor, last == null ? 0 : last + 1);
      sequences.put(LAST_SEQUENCE, next);
      return ChangeContext.format(next);
    }

    @Override
    public String eventId(String sequenceNumber) {
      return ChangeContext.eventId(
          CustomerTopology.STORE, context.taskId().partition(), sequenceNumber);
    }
  }

  /** The partition's stores as the table sees them. */
  private final class StreamsItemStore implements ItemStore {
    @Override
    public StoredItem get(String key) {
      return items.get(key);
    }

    @Override
    public void put(String key, StoredItem item) {
      items.put(key, item);
    }

    @Override
    public void delete(String key) {
      items.delete(key);
    }

    @Override
    public void scan(String after, java.util.function.BiPredicate<String, StoredItem> visitor) {
      try (KeyValueIterator<String, StoredItem> range =
          items.range(after.isEmpty() ? null : after, null)) {
        while (range.hasNext()) {
          KeyValue<String, StoredItem> entry = range.next();
          if (entry.key.equals(after)) {
            continue;
          }
          if (!visitor.test(entry.key, entry.value)) {
            return;
          }
        }
      }
    }

    @Override
    public void indexExpiry(long epochSeconds, String key) {
      ttlIndex.put(TtlIndex.entry(epochSeconds, key), key);
    }

    @Override
    public void unindexExpiry(long epochSeconds, String key) {
      ttlIndex.delete(TtlIndex.entry(epochSeconds, key));
    }

    @Override
    public Receipt receipt(String receiptKey) {
      return receipts.get(receiptKey);
    }

    @Override
    public void keepReceipt(String receiptKey, Receipt receipt) {
      receipts.put(receiptKey, receipt);
    }
  }
}
