package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.StreamRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter around {@link ItemTable}: parses a request event, runs it against the store,
 * and forwards the reply (to the address in the request's headers) and the change record. All three
 * (store changelog, reply, change) commit in one Kafka transaction.
 */
final class CommandProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

  private final ItemTable table = new ItemTable();
  private ProcessorContext<String, Object> context;
  private ItemStore store;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    KeyValueStore<String, StoredItem> kv = context.getStateStore(CustomerTopology.STORE);
    this.store =
        new ItemStore() {
          @Override
          public StoredItem get(String key) {
            return kv.get(key);
          }

          @Override
          public void put(String key, StoredItem item) {
            kv.put(key, item);
          }
        };
  }

  @Override
  public void process(Record<String, byte[]> command) {
    RecordMetadata position = context.recordMetadata().orElseThrow();
    CommandMeta meta =
        new CommandMeta(
            position.topic(), position.partition(), position.offset(), command.timestamp());
    Outcome outcome;
    try {
      FunctionRequest request = Json.fromBytes(command.value(), FunctionRequest.class);
      outcome = table.handle(request, store, meta);
    } catch (RuntimeException unreadable) {
      outcome = Outcome.reply(Responses.message(400, "Malformed request event"));
    }
    reply(command, outcome.response());
    if (outcome.change() != null) {
      emit(outcome.change(), command.timestamp());
    }
  }

  private void reply(Record<String, byte[]> command, FunctionResponse response) {
    String topic = ProtocolHeaders.get(command.headers(), ProtocolHeaders.REPLY_TOPIC);
    String partition = ProtocolHeaders.get(command.headers(), ProtocolHeaders.REPLY_PARTITION);
    String correlationId = ProtocolHeaders.get(command.headers(), ProtocolHeaders.CORRELATION_ID);
    if (topic == null || partition == null || correlationId == null) {
      return; // an asynchronous invocation: nobody waits for a reply
    }
    int replyPartition;
    try {
      replyPartition = Integer.parseInt(partition);
    } catch (NumberFormatException e) {
      LOG.warn("Dropping the reply to {}: bad reply partition '{}'", correlationId, partition);
      return;
    }
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, correlationId);
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, correlationId);
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_TYPE, "FunctionResponse");
    ProtocolHeaders.put(headers, ProtocolHeaders.SCHEMA_VERSION, "1");
    context.forward(
        new Record<String, Object>(
            correlationId,
            new AddressedReply(topic, replyPartition, response),
            command.timestamp(),
            headers),
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
}
