package dev.portico.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The stream reading operations, DynamoDB Streams style, over a {@link StreamSource}'s changes
 * topic: one shard per partition, iterators that name a partition and an offset (signed for the
 * stream), pages of the stream's records. Blocking (Kafka fetches): run on worker threads.
 */
final class StreamReader {
  /** DynamoDB Streams' GetRecords limits. */
  static final int MAX_LIMIT = 1000;

  static final long MAX_BYTES = 1024 * 1024;

  enum IteratorType {
    TRIM_HORIZON,
    LATEST,
    AT_SEQUENCE_NUMBER,
    AFTER_SEQUENCE_NUMBER
  }

  /** One shard: its id, partition and the first sequence number it still holds. */
  record Shard(String shardId, int partition, String startingSequenceNumber) {}

  /** A page: the record values (JSON bytes) and the iterator to continue with. */
  record Records(List<byte[]> records, String nextShardIterator) {}

  private final ConsumerPool pool;
  private final ShardIterators iterators;
  private final Duration timeout;

  StreamReader(ConsumerPool pool, ShardIterators iterators, Duration timeout) {
    this.pool = pool;
    this.iterators = iterators;
    this.timeout = timeout;
  }

  static String shardId(int partition) {
    return String.format(Locale.ROOT, "shardId-%012d", partition);
  }

  /**
   * The shards of a stream; a shard's starting sequence number is the oldest record its partition
   * keeps (on the team tables' topic: any table's, as the edge's DescribeStream answers).
   */
  List<Shard> shards(StreamSource stream) {
    return pool.with(
        consumer -> {
          List<Shard> shards = new ArrayList<>();
          for (int p : partitions(consumer, stream.topic())) {
            ShardLog log = new ShardLog(consumer, new TopicPartition(stream.topic(), p), timeout);
            String first =
                log.firstAtOrAfter(log.begin()).map(ShardLog.Entry::sequenceNumber).orElse(null);
            shards.add(new Shard(shardId(p), p, first));
          }
          return shards;
        });
  }

  String iterator(StreamSource stream, String shardId, String type, String sequenceNumber) {
    IteratorType kind = parseType(type);
    int partition = parseShardId(stream, shardId);
    String seq =
        switch (kind) {
          case AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER -> SequenceNumbers.parse(sequenceNumber);
          default -> {
            if (sequenceNumber != null) {
              throw StreamError.validation(
                  "sequenceNumber must not be given with iterator type " + kind);
            }
            yield null;
          }
        };
    long offset =
        pool.with(
            consumer -> {
              if (!partitions(consumer, stream.topic()).contains(partition)) {
                throw StreamError.notFound("Shard " + shardId + " does not exist");
              }
              ShardLog log =
                  new ShardLog(consumer, new TopicPartition(stream.topic(), partition), timeout);
              return switch (kind) {
                case TRIM_HORIZON -> log.begin();
                case LATEST -> log.end();
                case AT_SEQUENCE_NUMBER -> locate(log, shardId, seq, false);
                case AFTER_SEQUENCE_NUMBER -> locate(log, shardId, seq, true);
              };
            });
    return iterators.issue(stream.identity(), partition, offset);
  }

  Records records(StreamSource stream, String iterator, String limitParam) {
    ShardIterators.Position at = iterators.check(stream.identity(), iterator);
    int limit = parseLimit(limitParam);
    return pool.with(
        consumer -> {
          ShardLog log =
              new ShardLog(consumer, new TopicPartition(stream.topic(), at.partition()), timeout);
          if (at.offset() < log.begin()) {
            throw StreamError.trimmed(
                "The iterator points at records of "
                    + shardId(at.partition())
                    + " that retention has deleted; start again with TRIM_HORIZON");
          }
          ShardLog.Page page =
              log.read(at.offset(), limit, MAX_BYTES, stream.wanted(), stream.budget());
          return new Records(
              page.records(), iterators.issue(stream.identity(), at.partition(), page.next()));
        });
  }

  /**
   * The offset to read from for AT (first record with sequence number >= seq) or AFTER (first
   * record > seq). A number before the retained records of a trimmed shard is refused (records may
   * be lost); one beyond the shard's last record is refused too (it cannot have been read from this
   * shard), except AFTER the very last record, which waits for the next one.
   */
  private static long locate(ShardLog log, String shardId, String seq, boolean after) {
    Predicate<String> wanted =
        after
            ? s -> SequenceNumbers.compare(s, seq) > 0
            : s -> SequenceNumbers.compare(s, seq) >= 0;
    Optional<ShardLog.Entry> first = log.firstAtOrAfter(log.begin());
    if (log.trimmed()
        && (first.isEmpty() || SequenceNumbers.compare(seq, first.get().sequenceNumber()) < 0)) {
      throw StreamError.trimmed(
          "Sequence number "
              + seq
              + " is older than the oldest record retained in "
              + shardId
              + (first.map(e -> " (" + e.sequenceNumber() + ")").orElse(""))
              + "; records after it may have been deleted by retention. Start with TRIM_HORIZON");
    }
    long offset = log.locate(wanted);
    if (log.firstAtOrAfter(offset).isPresent()) {
      return offset;
    }
    Optional<ShardLog.Entry> last = log.last();
    if (after && last.isPresent() && last.get().sequenceNumber().equals(seq)) {
      return offset; // the reader has everything; the iterator waits at the end
    }
    throw StreamError.validation(
        "Sequence number "
            + seq
            + " is beyond the last record of "
            + shardId
            + last.map(e -> " (" + e.sequenceNumber() + ")").orElse(" (the shard is empty)"));
  }

  private List<Integer> partitions(
      org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new StreamError(503, "ResourceNotFoundException", "The change stream is not there yet");
    }
    return infos.stream()
        .sorted(Comparator.comparingInt(PartitionInfo::partition))
        .map(PartitionInfo::partition)
        .toList();
  }

  static IteratorType parseType(String type) {
    if (type == null) {
      throw StreamError.validation(
          "type is required: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER");
    }
    try {
      return IteratorType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw StreamError.validation(
          "type must be TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER, got '"
              + SequenceNumbers.abbreviate(type)
              + "'");
    }
  }

  static int parseShardId(StreamSource stream, String shardId) {
    if (shardId == null) {
      throw StreamError.validation(
          "shardId is required (see GET /streams/" + stream.name() + "/shards)");
    }
    if (!shardId.matches("shardId-[0-9]{12}")) {
      throw StreamError.validation(
          "shardId must look like shardId-000000000000, got '"
              + SequenceNumbers.abbreviate(shardId)
              + "'");
    }
    long partition = Long.parseLong(shardId.substring("shardId-".length()));
    if (partition > Integer.MAX_VALUE) {
      throw StreamError.notFound("Shard " + shardId + " does not exist");
    }
    return (int) partition;
  }

  static int parseLimit(String limit) {
    if (limit == null) {
      return MAX_LIMIT;
    }
    try {
      int parsed = Integer.parseInt(limit);
      if (parsed >= 1 && parsed <= MAX_LIMIT) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw StreamError.validation(
        "limit must be an integer from 1 to "
            + MAX_LIMIT
            + ", got '"
            + SequenceNumbers.abbreviate(limit)
            + "'");
  }
}
