package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.StreamRecord;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology alone, without a broker: replies go to the named address, changes to the stream. */
class CustomerTopologyTest {
  @TempDir Path stateDir;

  @Test
  void shouldReplyToTheRequestsAddressAndEmitOneChangePerEffectiveWrite() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // A state directory of its own: the default one under /tmp is shared by every build on the
    // machine, and RocksDB refuses a store another process holds open.
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            CustomerTopology.build(
                "commands",
                "changes",
                "",
                StreamViewType.NEW_AND_OLD_IMAGES,
                java.time.Duration.ofSeconds(10),
                1),
            props)) {
      TestInputTopic<String, byte[]> commands =
          driver.createInputTopic(
              "commands", Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, FunctionResponse> replies =
          driver.createOutputTopic(
              "replies.edge",
              Serdes.String().deserializer(),
              new JsonSerde<>(FunctionResponse.class));
      TestOutputTopic<String, StreamRecord> changes =
          driver.createOutputTopic(
              "changes", Serdes.String().deserializer(), new JsonSerde<>(StreamRecord.class));

      var request = Requests.post("{\"customer_id\":\"1230AWS\"}").build();
      var headers = new RecordHeaders();
      ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, "c-1");
      ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_TOPIC, "replies.edge");
      ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_PARTITION, "0");
      commands.pipeInput(
          new org.apache.kafka.streams.test.TestRecord<>(
              "1230AWS", Json.toBytes(request), headers));
      commands.pipeInput(
          new org.apache.kafka.streams.test.TestRecord<>(
              "1230AWS", Json.toBytes(request), headers));
      commands.pipeInput(
          new org.apache.kafka.streams.test.TestRecord<>("x", "garbage".getBytes(), headers));

      var first = replies.readRecord();
      assertEquals("c-1", first.key());
      assertEquals("c-1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.CORRELATION_ID));
      assertEquals("c-1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.EVENT_ID));
      assertEquals(
          "FunctionResponse", ProtocolHeaders.get(first.headers(), ProtocolHeaders.EVENT_TYPE));
      assertEquals("1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.SCHEMA_VERSION));
      assertEquals(201, first.value().statusCode());
      assertEquals(200, replies.readValue().statusCode());
      assertEquals(
          400, replies.readValue().statusCode(), "an unreadable command still gets an answer");
      assertTrue(replies.isEmpty());

      StreamRecord insert = changes.readValue();
      assertEquals("INSERT", insert.eventName());
      assertTrue(changes.isEmpty(), "the identical second put and the bad command change nothing");
      assertEquals(Map.of("customer_id", "1230AWS"), insert.dynamodb().keys());
    }
  }
}
