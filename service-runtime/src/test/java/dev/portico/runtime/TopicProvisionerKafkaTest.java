package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a real broker: a topic that exists is left as it is (an operator may have tuned it), one that
 * is missing is created, and asking again when nothing is missing changes nothing.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class TopicProvisionerKafkaTest {

  @Test
  void shouldCreateOnlyTheMissingTopics(TestKafka kafka) {
    String prefix = "provisioner-" + System.nanoTime() + ".";
    KafkaSettings threePartitions = settings(kafka, prefix, 3);
    TopicProvisioner.ensure(threePartitions, List.of(Topics.CUSTOMER_COMMANDS));

    KafkaSettings onePartition = settings(kafka, prefix, 1);
    TopicProvisioner.ensure(onePartition, List.of(Topics.CUSTOMER_COMMANDS, Topics.EDGE_REPLIES));
    TopicProvisioner.ensure(onePartition, List.of(Topics.CUSTOMER_COMMANDS, Topics.EDGE_REPLIES));

    assertEquals(
        3,
        TopicProvisioner.partitionCount(onePartition, Topics.CUSTOMER_COMMANDS),
        "the existing topic kept its partitions");
    assertEquals(
        1,
        TopicProvisioner.partitionCount(onePartition, Topics.EDGE_REPLIES),
        "the missing topic was created with the settings' partitions");
  }

  private static KafkaSettings settings(TestKafka kafka, String prefix, int partitions) {
    return KafkaSettings.read(
        new ConfigReader(
            Map.of(
                "PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "PORTICO_TOPIC_PREFIX", prefix,
                "PORTICO_TOPIC_PARTITIONS", Integer.toString(partitions))));
  }
}
