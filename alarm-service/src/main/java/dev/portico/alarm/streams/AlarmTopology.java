package dev.portico.alarm.streams;

import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.alarms.NotificationTopic;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * alarm-service's Kafka Streams topology, three sub-topologies:
 *
 * <pre>
 * metrics.datapoints -> broadcast -> alarms.signals (every partition)
 * alarms.commands + alarms.signals -> alarms [stores: alarms, metric index, composite index]
 *     -> alarms.alarms (view), alarms.state-changes, alarms.history, alarms.signals (transitions,
 *        every partition), notifications.messages (alarm actions)
 * notifications.commands + notifications.messages -> topics [store: topics]
 *     -> notifications.topics (view), notifications.deliveries (outbox), alarms.history (actions)
 * </pre>
 *
 * A pure function of its inputs, so TopologyTestDriver tests it without a broker.
 */
public final class AlarmTopology {
  static final String ALARMS_STORE = "alarms";
  static final String METRIC_INDEX = "alarms-metric-index";
  static final String COMPOSITE_INDEX = "alarms-composite-index";
  static final String TOPICS_STORE = "notification-topics";

  static final String ALARM_VIEW_SINK = "alarm-view";
  static final String STATE_CHANGES_SINK = "state-changes";
  static final String HISTORY_SINK = "alarm-history";
  static final String SIGNALS_SINK = "transition-signals";
  static final String MESSAGES_SINK = "alarm-messages";
  static final String TOPIC_VIEW_SINK = "topic-view";
  static final String DELIVERIES_SINK = "deliveries";
  static final String TOPIC_HISTORY_SINK = "action-history";

  private AlarmTopology() {}

  public static Topology build(TopicNames names, EvaluationSettings settings) {
    Serializer<Object> json = (topic, value) -> value == null ? null : Json.toBytes(value);
    var strings = Serdes.String();
    var bytes = Serdes.ByteArray();
    Topology t = new Topology();

    t.addSource("datapoints", strings.deserializer(), bytes.deserializer(), names.datapoints());
    t.addProcessor("broadcast", DatapointBroadcaster::new, "datapoints");
    t.addSink(
        "datapoint-signals",
        names.signals(),
        strings.serializer(),
        json,
        everyPartition(),
        "broadcast");

    t.addSource(
        "alarm-inputs",
        strings.deserializer(),
        bytes.deserializer(),
        names.commands(),
        names.signals());
    t.addProcessor("alarms", () -> new AlarmProcessor(names, settings), "alarm-inputs");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ALARMS_STORE),
            strings,
            new JsonSerde<>(StoredAlarm.class)),
        "alarms");
    t.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(METRIC_INDEX), strings, strings),
        "alarms");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(COMPOSITE_INDEX), strings, strings),
        "alarms");
    t.addSink(ALARM_VIEW_SINK, names.alarms(), strings.serializer(), json, "alarms");
    t.addSink(STATE_CHANGES_SINK, names.stateChanges(), strings.serializer(), json, "alarms");
    t.addSink(HISTORY_SINK, names.history(), strings.serializer(), json, "alarms");
    t.addSink(
        SIGNALS_SINK, names.signals(), strings.serializer(), json, everyPartition(), "alarms");
    t.addSink(MESSAGES_SINK, names.messages(), strings.serializer(), json, "alarms");

    t.addSource(
        "topic-inputs",
        strings.deserializer(),
        bytes.deserializer(),
        names.topicCommands(),
        names.messages());
    t.addProcessor("topics", () -> new TopicProcessor(names, settings), "topic-inputs");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TOPICS_STORE),
            strings,
            new JsonSerde<>(NotificationTopic.class)),
        "topics");
    t.addSink(TOPIC_VIEW_SINK, names.topics(), strings.serializer(), json, "topics");
    t.addSink(DELIVERIES_SINK, names.deliveries(), strings.serializer(), json, "topics");
    t.addSink(TOPIC_HISTORY_SINK, names.history(), strings.serializer(), json, "topics");
    return t;
  }

  /** Multicast: the record goes to every partition of the sink topic. */
  private static StreamPartitioner<String, Object> everyPartition() {
    return (topic, key, value, partitions) ->
        Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
  }
}
