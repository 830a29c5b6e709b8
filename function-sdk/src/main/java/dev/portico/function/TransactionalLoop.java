package dev.portico.function;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function's consume-transform-produce loop: kafka-kit's {@link
 * dev.portico.kit.TransactionalLoop}, the one every Portico service uses, fed by the {@link
 * RequestProcessor}. Per transaction, the produced records of a run of requests (handler records
 * and replies) and the consumer offsets past those requests commit together, so a request is either
 * fully answered and consumed, or not at all; counts reach {@link Counters} only when their
 * transaction committed.
 */
final class TransactionalLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);

  private final FunctionSettings settings;
  private final RequestProcessor processor;
  private final Tally totals;
  private final Producer<String, byte[]> producer;
  private final dev.portico.kit.TransactionalLoop loop;
  private Tally pending = new Tally();

  TransactionalLoop(
      FunctionSettings settings,
      RequestProcessor processor,
      Tally totals,
      BooleanSupplier closing) {
    this.settings = settings;
    this.processor = processor;
    this.totals = totals;
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            settings.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    try {
      this.producer =
          new KafkaProducer<>(
              settings.producerProperties(), new StringSerializer(), new ByteArraySerializer());
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.loop =
        dev.portico.kit.TransactionalLoop.builder(settings.transactionalId(), consumer, producer)
            .topics(List.of(settings.topic()))
            .processor(this::process)
            .state(new Counting())
            .pollTimeout(settings.pollTimeout())
            .maxTransactionTime(settings.maxTransactionTime())
            .closeTimeout(settings.closeTimeout())
            .build();
  }

  /** Safe from any thread: stops the loop after the current transaction. */
  void wakeup() {
    loop.close();
  }

  /** Serves requests until closed, or until a fatal Kafka error (thrown); closes the clients. */
  void run() {
    loop.run();
  }

  private void process(
      org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> event,
      dev.portico.kit.TransactionalLoop.Transaction tx) {
    RequestProcessor.Result result = processor.process(event, System.currentTimeMillis());
    for (ProducerRecord<String, byte[]> record : result.records()) {
      if (fits(record)) {
        tx.send(record);
      }
    }
    pending.count(result);
  }

  /**
   * A partition the topic lacks would make the send wait for metadata and then fail the
   * transaction, on every retry: such a record is dropped instead.
   */
  private boolean fits(ProducerRecord<String, byte[]> record) {
    Integer partition = record.partition();
    if (partition == null) {
      return true;
    }
    int count = producer.partitionsFor(record.topic()).size();
    if (partition < count) {
      return true;
    }
    LOG.warn(
        "Dropping a record for {} partition {}: the topic has {} partitions",
        record.topic(),
        partition,
        count);
    return false;
  }

  /** Counts reach the totals when their transaction commits; an abort only counts itself. */
  private final class Counting implements dev.portico.kit.TransactionalLoop.StateHooks {
    @Override
    public void afterCommit() {
      totals.add(pending);
      pending = new Tally();
    }

    @Override
    public void afterAbort() {
      pending = new Tally();
      totals.countAbort();
    }
  }
}
