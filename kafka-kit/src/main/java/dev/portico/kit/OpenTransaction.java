package dev.portico.kit;

import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction {@link TransactionalLoop} has open: counts what is sent in it (a transaction that
 * sent nothing commits without a request).
 */
final class OpenTransaction implements TransactionalLoop.Transaction {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);

  private final String loopName;
  private final Producer<String, byte[]> producer;
  private final long startedAt;
  private int sent;

  OpenTransaction(String loopName, Producer<String, byte[]> producer, long startedAt) {
    this.loopName = loopName;
    this.producer = producer;
    this.startedAt = startedAt;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    sent++;
    return producer.send(
        record,
        (metadata, error) -> {
          if (error != null && !(error instanceof TransactionAbortedException)) {
            LOG.warn("{}: sending to {} failed: {}", loopName, record.topic(), error.toString());
          }
        });
  }

  @Override
  public long startedAtMillis() {
    return startedAt;
  }

  /** True when nothing was sent in this transaction. */
  boolean empty() {
    return sent == 0;
  }
}
