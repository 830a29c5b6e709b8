package dev.portico.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The exactly-once settings hold whatever the properties said before. */
class ClientSettingsTest {

  @Test
  void shouldMakeAnExactlyOnceProducerWhateverThePropertiesSaid() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);

    ClientSettings.exactlyOnceProducer(props, "fn-1");

    assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
    assertEquals(true, props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals("fn-1", props.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    assertEquals(20, props.get(ProducerConfig.LINGER_MS_CONFIG), "the owner's batching is kept");
  }

  @Test
  void shouldSendATransactionalProducersRecordsAtOnce() {
    Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));

    ClientSettings.transactionalProducer(props, "svc-a");

    assertEquals(0, props.get(ProducerConfig.LINGER_MS_CONFIG));
    assertEquals("svc-a", props.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
  }

  @Test
  void shouldReadOnlyCommittedRecordsAndNeverCommitByItself() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);

    ClientSettings.transactionalConsumer(props, "group-a");

    assertEquals("group-a", props.get(ConsumerConfig.GROUP_ID_CONFIG));
    assertEquals("read_committed", props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    assertEquals(false, props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
  }

  @Test
  void shouldMakeAStaticMemberOnlyWithAnInstanceId() {
    Map<String, Object> named = ClientSettings.staticMember(new HashMap<>(), "replica-1");
    Map<String, Object> blank = ClientSettings.staticMember(new HashMap<>(), " ");
    Map<String, Object> none = ClientSettings.staticMember(new HashMap<>(), null);

    assertEquals("replica-1", named.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    assertFalse(blank.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    assertFalse(none.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
  }
}
