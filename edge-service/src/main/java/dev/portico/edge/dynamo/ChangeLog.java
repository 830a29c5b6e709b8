package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.kit.Replay;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads team tables' changes topic for the DynamoDB Streams API with one group-less {@code
 * read_committed} consumer (records of aborted transactions are never seen). Blocking and
 * synchronized: callers run it on a worker thread, one read at a time.
 *
 * <p>Within one partition, sequence numbers strictly increase with the offset, whatever the table:
 * one table-service task writes each partition, in order, drawing every number from that
 * partition's counter. So a sequence number is found by a binary search over offsets.
 */
final class ChangeLog implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A page: the matching records' JSON and the offset to continue from. */
  record Page(List<JsonNode> records, long next) {}

  /** The first and the next-to-be-written offset of a partition (end = last stable offset). */
  record Bounds(long begin, long end) {}

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Duration timeout;

  ChangeLog(Consumer<String, byte[]> consumer, String topic, Duration timeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.timeout = timeout;
  }

  synchronized int partitions() {
    return consumer.partitionsFor(topic, timeout).size();
  }

  synchronized Bounds bounds(int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    return new Bounds(
        consumer.beginningOffsets(List.of(tp), timeout).get(tp),
        consumer.endOffsets(List.of(tp), timeout).get(tp));
  }

  /** The sequence number of the first committed record at or after {@code offset}, if any. */
  synchronized Optional<String> firstSequenceAtOrAfter(int partition, long offset) {
    Bounds bounds = bounds(partition);
    return first(partition, Math.max(offset, bounds.begin()), bounds.end())
        .map(r -> sequenceNumber(r.value()));
  }

  /**
   * The smallest offset from which reading yields first a record whose sequence number matches
   * {@code wanted} (monotone: "at least S", "above S"), or the end when none does yet.
   */
  synchronized long locate(int partition, Predicate<String> wanted) {
    Bounds bounds = bounds(partition);
    long lo = bounds.begin();
    long hi = bounds.end();
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      Optional<ConsumerRecord<String, byte[]>> probe = first(partition, mid, bounds.end());
      if (probe.isEmpty() || wanted.test(sequenceNumber(probe.get().value()))) {
        hi = mid;
      } else {
        lo = probe.get().offset() + 1;
      }
    }
    return lo;
  }

  /** A page stops before its records' JSON would pass this (it always holds one record). */
  static final long MAX_PAGE_BYTES = 1 << 20;

  /**
   * Up to {@code limit} committed records of {@code table} from {@code offset} whose {@code
   * eventSourceARN} is {@code streamArn}, at most {@link #MAX_PAGE_BYTES} of them, reading at most
   * {@code budget} records of the partition (other tables' included), so a page is bounded even
   * when the table's records are rare.
   */
  synchronized Page read(
      int partition, long offset, String table, String streamArn, int limit, int budget) {
    TopicPartition tp = new TopicPartition(topic, partition);
    long end = bounds(partition).end();
    List<JsonNode> records = new ArrayList<>();
    if (offset >= end) {
      return new Page(records, offset);
    }
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    String prefix = table + '\u0000';
    long[] stoppedAt = {-1};
    int[] seen = {0};
    long[] bytes = {0};
    Replay.read(
        consumer,
        Map.of(tp, end),
        timeout,
        batch -> {
          for (ConsumerRecord<String, byte[]> r : batch) {
            if (r.offset() < offset || r.value() == null) {
              continue;
            }
            if (r.offset() >= end || records.size() >= limit || seen[0] >= budget) {
              stoppedAt[0] = r.offset();
              return false;
            }
            if (r.key() != null && r.key().startsWith(prefix)) {
              JsonNode record = parse(r.value());
              if (record != null && streamArn.equals(record.path("eventSourceARN").asText())) {
                if (!records.isEmpty() && bytes[0] + r.value().length > MAX_PAGE_BYTES) {
                  stoppedAt[0] = r.offset();
                  return false;
                }
                records.add(record);
                bytes[0] += r.value().length;
              }
            }
            seen[0]++;
          }
          return true;
        });
    if (stoppedAt[0] >= 0) {
      return new Page(records, stoppedAt[0]);
    }
    // Everything up to the position was seen (it skips transaction markers and aborted records).
    return new Page(records, Math.min(consumer.position(tp), Math.max(end, offset)));
  }

  private Optional<ConsumerRecord<String, byte[]>> first(int partition, long offset, long end) {
    if (offset >= end) {
      return Optional.empty();
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>(1);
    Replay.read(
        consumer,
        Map.of(tp, end),
        timeout,
        batch -> {
          for (ConsumerRecord<String, byte[]> r : batch) {
            if (r.offset() >= offset && r.offset() < end) {
              found.add(r);
              return false;
            }
          }
          return true;
        });
    return found.stream().findFirst();
  }

  private static JsonNode parse(byte[] value) {
    try {
      JsonNode node = MAPPER.readTree(value);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null; // not a record of ours: skipped
    }
  }

  private static String sequenceNumber(byte[] value) {
    JsonNode node = parse(value);
    return node == null ? "" : node.path("dynamodb").path("SequenceNumber").asText("");
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
