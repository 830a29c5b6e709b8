package dev.portico.function;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-transform-produce loop. Per transaction: the produced records of a run of requests
 * (handler records and replies) and the consumer offsets past those requests commit together, so a
 * request is either fully answered and consumed, or not at all.
 *
 * <p>On a Kafka error the transaction is aborted and the consumer is rewound to the first request
 * not yet committed, so the aborted requests are processed again: nothing lost, nothing visible
 * twice. Errors that leave the producer unusable (fenced by a newer instance with the same
 * transactional id, authorization) stop the loop, as Kafka's transactions recipe prescribes.
 */
final class TransactionalLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final FunctionSettings settings;
  private final RequestProcessor processor;
  private final Tally totals;
  private final BooleanSupplier closing;
  private final Consumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private long backoffMs;

  TransactionalLoop(
      FunctionSettings settings,
      RequestProcessor processor,
      Tally totals,
      BooleanSupplier closing) {
    this.settings = settings;
    this.processor = processor;
    this.totals = totals;
    this.closing = closing;
    this.consumer =
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
  }

  /** Safe from any thread: makes a blocked or the next {@code poll} return at once. */
  void wakeup() {
    consumer.wakeup();
  }

  /** Serves requests until closing, or until a fatal Kafka error (thrown); closes the clients. */
  void run() {
    try {
      initTransactions();
      consumer.subscribe(List.of(settings.topic()));
      while (!closing.getAsBoolean()) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(settings.pollTimeout());
        if (!batch.isEmpty()) {
          process(batch);
        }
      }
    } catch (WakeupException e) {
      if (!closing.getAsBoolean()) {
        throw e;
      }
    } finally {
      // The producer first: its open transaction (if any) is aborted before the consumer leaves
      // the group and another instance takes over the partitions.
      try {
        producer.close(settings.closeTimeout());
      } finally {
        consumer.close(CloseOptions.timeout(settings.closeTimeout()));
      }
    }
  }

  private void initTransactions() {
    while (!closing.getAsBoolean()) {
      try {
        // Also fences a previous incarnation of this instance and aborts its open transaction.
        producer.initTransactions();
        return;
      } catch (TimeoutException kafkaUnreachable) {
        LOG.warn("Kafka did not answer initTransactions in time; retrying");
      }
    }
  }

  private void process(ConsumerRecords<String, byte[]> batch) {
    // Where each partition resumes if a transaction fails: its first request not yet committed.
    // Initially the batch's first offsets, which equal the group's committed offsets (the previous
    // batch ended with a commit), known here without a round trip to a broker in trouble.
    Map<TopicPartition, Long> resumeAt = new HashMap<>();
    for (TopicPartition partition : batch.partitions()) {
      resumeAt.put(partition, batch.records(partition).get(0).offset());
    }
    Iterator<ConsumerRecord<String, byte[]>> pending = batch.iterator();
    // Closing stops after the current transaction: the rest of the batch is not committed, so
    // the instance that takes over the partitions serves it.
    while (pending.hasNext() && !closing.getAsBoolean()) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      Tally tally = new Tally();
      try {
        transaction(pending, offsets, tally);
      } catch (KafkaException e) {
        abortAndRewind(e, resumeAt);
        return;
      }
      offsets.forEach((partition, next) -> resumeAt.put(partition, next.offset()));
      totals.add(tally);
      backoffMs = 0;
    }
  }

  /**
   * One transaction over the next requests of the batch, until the batch ends or the transaction
   * has been open for {@code maxTransactionTime}: a reply is visible only after its commit, and an
   * open transaction delays every later reply on the same reply partition.
   */
  private void transaction(
      Iterator<ConsumerRecord<String, byte[]>> pending,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Tally tally) {
    producer.beginTransaction();
    long commitBy = System.nanoTime() + settings.maxTransactionTime().toNanos();
    do {
      ConsumerRecord<String, byte[]> event = pending.next();
      RequestProcessor.Result result = processor.process(event, System.currentTimeMillis());
      for (ProducerRecord<String, byte[]> record : result.records()) {
        send(record);
      }
      tally.count(result);
      offsets.put(
          new TopicPartition(event.topic(), event.partition()),
          new OffsetAndMetadata(event.offset() + 1));
    } while (pending.hasNext() && System.nanoTime() - commitBy < 0);
    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    commit();
  }

  private void send(ProducerRecord<String, byte[]> record) {
    Integer partition = record.partition();
    if (partition != null) {
      // A partition the topic lacks would make the send wait for metadata and then fail the
      // transaction, on every retry: drop the record instead.
      int count = producer.partitionsFor(record.topic()).size();
      if (partition >= count) {
        LOG.warn(
            "Dropping a record for {} partition {}: the topic has {} partitions",
            record.topic(),
            partition,
            count);
        return;
      }
    }
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null && !(error instanceof TransactionAbortedException)) {
            LOG.warn("Sending a record to {} failed: {}", record.topic(), error.toString());
          }
        });
  }

  private void commit() {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException outcomeUnknown) {
        // The commit may still complete; Kafka allows only retrying it now, not aborting.
        if (closing.getAsBoolean()) {
          throw new IllegalStateException(
              "closing with a commit whose outcome is unknown", outcomeUnknown);
        }
        LOG.warn("Kafka did not confirm the commit in time; retrying it");
      }
    }
  }

  private void abortAndRewind(KafkaException failure, Map<TopicPartition, Long> resumeAt) {
    if (isFatal(failure)) {
      throw failure;
    }
    try {
      producer.abortTransaction();
    } catch (KafkaException | IllegalStateException abortFailed) {
      abortFailed.addSuppressed(failure);
      throw abortFailed;
    }
    totals.countAbort();
    // No poll since the batch: every partition of the batch is still assigned.
    resumeAt.forEach(consumer::seek);
    backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    LOG.error(
        "Transaction aborted on a Kafka error; retrying from {} in {} ms",
        resumeAt,
        backoffMs,
        failure);
    pause(backoffMs);
  }

  /** Errors after which this producer can do nothing more, not even abort. */
  static boolean isFatal(KafkaException e) {
    return e instanceof ApplicationRecoverableException // fenced: a newer instance took over
        || e instanceof OutOfOrderSequenceException
        || e instanceof AuthorizationException
        || e instanceof UnsupportedVersionException;
  }

  private void pause(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    try {
      while (!closing.getAsBoolean() && System.nanoTime() - until < 0) {
        Thread.sleep(Math.min(50, millis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
