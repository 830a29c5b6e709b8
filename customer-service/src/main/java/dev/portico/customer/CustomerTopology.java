package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.StreamRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * commands -> {@link CommandProcessor} (stores: items, TTL index, idempotency receipts, sequence
 * numbers) -> replies (to each request's reply address), changes, and scan commands forwarded back
 * to the commands topic's partition their cursor names. A pure function of its settings, so
 * TopologyTestDriver tests it without a broker.
 */
public final class CustomerTopology {
  static final String STORE = "customers";
  static final String TTL_INDEX = "customers-ttl";
  static final String RECEIPTS = "customers-receipts";
  static final String SEQUENCES = "customers-sequences";
  static final String SOURCE = "commands";
  static final String PROCESSOR = "items";
  static final String REPLIES_SINK = "replies";
  static final String CHANGES_SINK = "changes";
  static final String SCAN_SINK = "scan-forward";

  private CustomerTopology() {}

  public static Topology build(
      String commandsTopic,
      String changesTopic,
      String ttlAttribute,
      StreamViewType view,
      Duration ttlSweepInterval,
      int partitions) {
    JsonSerde<FunctionResponse> responses = new JsonSerde<>(FunctionResponse.class);
    JsonSerde<StreamRecord> changes = new JsonSerde<>(StreamRecord.class);
    Serializer<Object> replySerializer =
        (topic, value) -> responses.serialize(topic, ((AddressedReply) value).response());
    Serializer<Object> changeSerializer =
        (topic, value) -> changes.serialize(topic, (StreamRecord) value);
    ItemTable table = new ItemTable(ttlAttribute, view);

    Topology topology = new Topology();
    topology.addSource(
        SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), commandsTopic);
    topology.addProcessor(
        PROCESSOR, () -> new CommandProcessor(table, ttlSweepInterval, partitions), SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            new JsonSerde<>(StoredItem.class)),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TTL_INDEX), Serdes.String(), Serdes.String()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RECEIPTS),
            Serdes.String(),
            new JsonSerde<>(ItemStore.Receipt.class)),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SEQUENCES), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    topology.addSink(
        REPLIES_SINK,
        (key, value, context) -> ((AddressedReply) value).topic(),
        Serdes.String().serializer(),
        replySerializer,
        (topic, key, value, count) -> Optional.of(Set.of(((AddressedReply) value).partition())),
        PROCESSOR);
    Serializer<Object> forwardSerializer = (topic, value) -> ((ScanForward) value).value();
    topology.addSink(
        SCAN_SINK,
        commandsTopic,
        Serdes.String().serializer(),
        forwardSerializer,
        (topic, key, value, count) -> Optional.of(Set.of(((ScanForward) value).partition())),
        PROCESSOR);
    topology.addSink(
        CHANGES_SINK, changesTopic, Serdes.String().serializer(), changeSerializer, PROCESSOR);
    return topology;
  }
}
