package dev.portico.metrics.http;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.metrics.ingest.CustomMetrics;
import dev.portico.runtime.KafkaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes accepted PutMetricData datums to the custom-metrics topic, keyed by {@code
 * namespace/metric name}, and returns once Kafka acknowledged all of them (acks=all, idempotent).
 * Blocking: call it off the event loop.
 */
public final class DatumPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final BoundTopic<MetricDatum> topic;

  public DatumPublisher(KafkaSettings kafka) {
    // The API answers once Kafka has every datum: send at once.
    Map<String, Object> props =
        ClientSettings.requestProducer(kafka.clientProperties("portico-metrics-put"));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.topic = Topics.METRICS_CUSTOM.named(kafka.topic(Topics.METRICS_CUSTOM));
  }

  /** Sends every datum and waits for all acknowledgements; throws when one failed. */
  public void publish(List<MetricDatum> datums) throws InterruptedException, ExecutionException {
    List<Future<RecordMetadata>> sends = new ArrayList<>(datums.size());
    for (MetricDatum datum : datums) {
      sends.add(producer.send(topic.record(CustomMetrics.partitionKey(datum), datum)));
    }
    for (Future<RecordMetadata> send : sends) {
      send.get();
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
