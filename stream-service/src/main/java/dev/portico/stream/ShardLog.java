package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
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
 * Reads one partition of the changes topic with a consumer the caller has borrowed: blocking, so
 * callers run it on a worker thread. The consumer is {@code read_committed}, so offsets of aborted
 * transactions and transaction markers are never returned: a "visible" record is a committed one.
 *
 * <p>Sequence numbers are not offsets: customer-service numbers a command's first change {@code
 * commandOffset * 10,000} and further changes of the same command the next numbers. What holds is
 * that, within one partition of the changes topic, sequence numbers strictly increase with the
 * offset: each partition is written by one customer-service task (the commands and changes topics
 * have the same partition count and key), in order, and a reprocessed command (after a crash) only
 * rewrites records of an aborted transaction, which read_committed hides. So finding a sequence
 * number is a binary search over offsets.
 */
final class ShardLog {
  /** A committed record's offset and sequence number. */
  record Entry(long offset, String sequenceNumber) {}

  private final Consumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Duration timeout;
  private final long begin;
  private final long end;

  /** Positions the consumer on the partition and reads its bounds (end = last stable offset). */
  ShardLog(Consumer<String, byte[]> consumer, TopicPartition partition, Duration timeout) {
    this.consumer = consumer;
    this.partition = partition;
    this.timeout = timeout;
    consumer.assign(List.of(partition));
    this.begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
    this.end = consumer.endOffsets(List.of(partition), timeout).get(partition);
  }

  long begin() {
    return begin;
  }

  long end() {
    return end;
  }

  /** True when retention has deleted records from the start of the partition. */
  boolean trimmed() {
    return begin > 0;
  }

  /** The first committed record at or after {@code offset} (and before the end), if any. */
  Optional<Entry> firstAtOrAfter(long offset) {
    if (offset >= end) {
      return Optional.empty();
    }
    consumer.seek(partition, offset);
    List<Entry> found = new ArrayList<>(1);
    boolean inTime =
        Replay.read(
            consumer,
            Map.of(partition, end),
            timeout,
            batch -> {
              for (ConsumerRecord<String, byte[]> r : batch) {
                if (r.offset() >= offset && r.offset() < end) {
                  found.add(new Entry(r.offset(), sequenceNumber(r.value())));
                  return false;
                }
              }
              return true;
            });
    if (!found.isEmpty()) {
      return Optional.of(found.get(0));
    }
    if (!inTime) {
      throw new StreamError(503, "LimitExceededException", "Kafka did not answer in time");
    }
    return Optional.empty();
  }

  /** The last committed record before the end, if any; looks back in growing windows. */
  Optional<Entry> last() {
    long window = 16;
    while (true) {
      long from = Math.max(begin, end - window);
      Optional<Entry> found = Optional.empty();
      Optional<Entry> next = firstAtOrAfter(from);
      while (next.isPresent()) {
        found = next;
        next = firstAtOrAfter(next.get().offset() + 1);
      }
      if (found.isPresent() || from == begin) {
        return found;
      }
      window *= 4;
    }
  }

  /**
   * The smallest offset from which reading yields first a record matching {@code wanted} (a
   * monotone condition on sequence numbers, e.g. "at least S"), or {@link #end()} when no record
   * matches yet. Binary search: about log2(records) fetches.
   */
  long locate(Predicate<String> wanted) {
    long lo = begin;
    long hi = end;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      Optional<Entry> probe = firstAtOrAfter(mid);
      if (probe.isEmpty() || wanted.test(probe.get().sequenceNumber())) {
        hi = mid;
      } else {
        lo = probe.get().offset() + 1;
      }
    }
    return lo;
  }

  /** A page read from {@code offset}: the records and the offset to continue from. */
  record Page(List<byte[]> records, long next) {}

  /**
   * Up to {@code limit} committed records from {@code offset}, stopping before {@code maxBytes} of
   * record values would be passed (but always at least one record, so a reader progresses).
   */
  Page read(long offset, int limit, long maxBytes) {
    return read(offset, limit, maxBytes, r -> true, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #read(long, int, long)}, but only records {@code wanted} are returned, and at most
   * {@code budget} records of the partition are looked at (wanted or not), so a page is bounded
   * even when the wanted records are rare: it then ends where the budget ran out, maybe empty.
   */
  Page read(
      long offset,
      int limit,
      long maxBytes,
      Predicate<ConsumerRecord<String, byte[]>> wanted,
      int budget) {
    List<byte[]> records = new ArrayList<>();
    if (offset >= end) {
      return new Page(records, offset);
    }
    consumer.seek(partition, offset);
    long[] bytes = {0};
    long[] stoppedAt = {-1};
    int[] seen = {0};
    Replay.read(
        consumer,
        Map.of(partition, end),
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
            if (wanted.test(r)) {
              if (!records.isEmpty() && bytes[0] + r.value().length > maxBytes) {
                stoppedAt[0] = r.offset();
                return false;
              }
              records.add(r.value());
              bytes[0] += r.value().length;
            }
            seen[0]++;
          }
          return true;
        });
    if (stoppedAt[0] >= 0) {
      return new Page(records, stoppedAt[0]);
    }
    // Everything up to the consumer's position was seen (its position skips markers and aborted
    // records), so continue there; if the fetch ran out of time, there is simply less this time.
    return new Page(records, Math.min(consumer.position(partition), Math.max(end, offset)));
  }

  /** Reads one field of a change record (the page hands the record on as it is, not decoded). */
  static String sequenceNumber(byte[] value) {
    try {
      JsonNode node = Json.MAPPER.readTree(value);
      String seq = node.path("dynamodb").path("SequenceNumber").asText("");
      return seq.isEmpty() ? "" : SequenceNumbers.parse(seq);
    } catch (IOException | StreamError e) {
      return ""; // unreadable: sorts before every real sequence number
    }
  }
}
