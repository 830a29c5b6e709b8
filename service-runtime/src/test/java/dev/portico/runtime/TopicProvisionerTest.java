package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.contracts.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {
  static KafkaSettings kafka(String maxMessageBytes) {
    return KafkaSettings.read(
        new ConfigReader(
            maxMessageBytes == null
                ? Map.of()
                : Map.of("PORTICO_KAFKA_MAX_MESSAGE_BYTES", maxMessageBytes)));
  }

  @Test
  void shouldLeaveTheRecordSizeToTheBrokerByDefault() {
    var topic = TopicProvisioner.newTopic(kafka(null), Topics.CUSTOMER_COMMANDS);
    assertNull(topic.configs().get("max.message.bytes"));
    assertNull(
        TopicProvisioner.newTopic(kafka("65536"), Topics.CUSTOMER_COMMANDS)
            .configs()
            .get("max.message.bytes"),
        "a lower limit only lowers what the edge sends");
  }

  @Test
  void shouldMakeTopicsAcceptARaisedRecordSize() {
    var topic = TopicProvisioner.newTopic(kafka("4194304"), Topics.CUSTOMER_COMMANDS);
    assertEquals("4194304", topic.configs().get("max.message.bytes"));
    assertEquals(4_194_304, kafka("4194304").maxMessageBytes());
  }
}
