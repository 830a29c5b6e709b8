package dev.portico.edge.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.kit.CompactedView;
import dev.portico.table.api.DynamoException;
import dev.portico.table.api.Requests;
import dev.portico.table.catalog.StreamArns;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The DynamoDB Streams API ({@code X-Amz-Target: DynamoDBStreams_20120810.<Operation>}) over team
 * tables' changes topic: ListStreams and DescribeStream from the table catalog, GetShardIterator
 * and GetRecords from the topic through {@link ChangeLog}. A table's stream has one shard per
 * partition of the topic; a shard holds that partition's records of the table. Every operation runs
 * on a worker thread (Kafka reads and catalog catch-ups block).
 */
public final class StreamsApi implements AutoCloseable {
  public static final String TARGET_PREFIX = "DynamoDBStreams_20120810.";
  static final String EXPIRED = "ExpiredIteratorException";
  static final String TRIMMED = "TrimmedDataAccessException";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CATALOG_WAIT = Duration.ofSeconds(2);

  /** At most this many records of a partition (every table's) are looked at for one page. */
  private static final int PAGE_BUDGET = 10_000;

  private final Vertx vertx;
  private final CompactedView<TableDefinition> catalog;
  private final ChangeLog log;
  private final Clock clock;

  StreamsApi(Vertx vertx, CompactedView<TableDefinition> catalog, ChangeLog log, Clock clock) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.log = log;
    this.clock = clock;
  }

  /** The API reading {@code topic} with {@code consumer} (group-less, read_committed). */
  public static StreamsApi of(
      Vertx vertx,
      CompactedView<TableDefinition> catalog,
      org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
      String topic,
      Duration timeout) {
    return new StreamsApi(
        vertx, catalog, new ChangeLog(consumer, topic, timeout), Clock.systemUTC());
  }

  /** Runs {@code operation} (the target's part after the dot); fails with a DynamoException. */
  public Future<ObjectNode> handle(String operation, String body) {
    return vertx.executeBlocking(() -> run(operation, body), false);
  }

  private ObjectNode run(String operation, String body) {
    JsonNode request;
    try {
      request = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new DynamoException("SerializationException", "The request body is not valid JSON");
    }
    if (request == null || !request.isObject()) {
      throw new DynamoException("SerializationException", "The request body is not a JSON object");
    }
    return switch (operation) {
      case "ListStreams" -> listStreams(request);
      case "DescribeStream" -> describeStream(request);
      case "GetShardIterator" -> getShardIterator(request);
      case "GetRecords" -> getRecords(request);
      default ->
          throw new DynamoException(
              "UnknownOperationException", "Operation not supported: " + operation);
    };
  }

  private ObjectNode listStreams(JsonNode request) {
    String tableName = Requests.text(request, "TableName");
    String after = Requests.text(request, "ExclusiveStartStreamArn");
    int limit = limit(request, 100);
    List<TableDefinition> tables =
        catalog.all().values().stream()
            .filter(t -> t.streamViewType() != null)
            .filter(t -> tableName == null || t.name().equals(tableName))
            .sorted(Comparator.comparing(TableDefinition::name))
            .filter(t -> after == null || StreamArns.arn(t).compareTo(after) > 0)
            .limit(limit + 1L)
            .toList();
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode streams = out.putArray("Streams");
    tables.stream()
        .limit(limit)
        .forEach(
            t ->
                streams
                    .addObject()
                    .put("StreamArn", StreamArns.arn(t))
                    .put("TableName", t.name())
                    .put("StreamLabel", StreamArns.label(t)));
    if (tables.size() > limit) {
      out.put("LastEvaluatedStreamArn", StreamArns.arn(tables.get(limit - 1)));
    }
    return out;
  }

  private ObjectNode describeStream(JsonNode request) {
    String arn = required(request, "StreamArn");
    TableDefinition table = stream(arn);
    int limit = limit(request, 100);
    String after = Requests.text(request, "ExclusiveStartShardId");
    int from = 0;
    if (after != null) {
      int partition = ShardIterator.partitionOf(after, table.streamCreatedAtMillis());
      from = partition < 0 ? Integer.MAX_VALUE : partition + 1;
    }
    int partitions = log.partitions();
    ObjectNode out = MAPPER.createObjectNode();
    ObjectNode description = out.putObject("StreamDescription");
    description.put("StreamArn", arn);
    description.put("StreamLabel", StreamArns.label(table));
    description.put("StreamStatus", "ENABLED");
    description.put("StreamViewType", table.streamViewType());
    description.put("CreationRequestDateTime", table.streamCreatedAtMillis() / 1000.0);
    description.put("TableName", table.name());
    ArrayNode schema = description.putArray("KeySchema");
    KeySchema key = table.key();
    schema.addObject().put("AttributeName", key.partitionKey()).put("KeyType", "HASH");
    if (key.hasSortKey()) {
      schema.addObject().put("AttributeName", key.sortKey()).put("KeyType", "RANGE");
    }
    ArrayNode shards = description.putArray("Shards");
    int to = (int) Math.min(partitions, (long) from + limit);
    for (int partition = from; partition < to; partition++) {
      ObjectNode shard = shards.addObject();
      shard.put("ShardId", ShardIterator.shardId(partition, table.streamCreatedAtMillis()));
      ObjectNode range = shard.putObject("SequenceNumberRange");
      // The oldest record the shard's partition keeps: where TRIM_HORIZON starts.
      log.firstSequenceAtOrAfter(partition, 0)
          .ifPresent(s -> range.put("StartingSequenceNumber", s));
    }
    if (to < partitions) {
      description.put(
          "LastEvaluatedShardId", ShardIterator.shardId(to - 1, table.streamCreatedAtMillis()));
    }
    return out;
  }

  private ObjectNode getShardIterator(JsonNode request) {
    String arn = required(request, "StreamArn");
    String shardId = required(request, "ShardId");
    String type = required(request, "ShardIteratorType");
    String sequence = Requests.text(request, "SequenceNumber");
    TableDefinition table = stream(arn);
    int partition = ShardIterator.partitionOf(shardId, table.streamCreatedAtMillis());
    if (partition < 0 || partition >= log.partitions()) {
      throw new DynamoException(
          DynamoException.NOT_FOUND,
          "Requested resource not found: Shard does not exist: " + shardId);
    }
    boolean withSequence =
        type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
    if (withSequence == (sequence == null)) {
      throw new DynamoException(
          DynamoException.VALIDATION,
          withSequence
              ? "SequenceNumber is required with ShardIteratorType " + type
              : "SequenceNumber may only be given with AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER");
    }
    long offset =
        switch (type) {
          case "TRIM_HORIZON" -> log.bounds(partition).begin();
          case "LATEST" -> log.bounds(partition).end();
          case "AT_SEQUENCE_NUMBER" -> at(partition, sequence, n -> n.signum() >= 0);
          case "AFTER_SEQUENCE_NUMBER" -> at(partition, sequence, n -> n.signum() > 0);
          default ->
              throw new DynamoException(
                  DynamoException.VALIDATION,
                  "1 validation error detected: Value '"
                      + type
                      + "' at 'shardIteratorType' failed to satisfy constraint: Member must"
                      + " satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER,"
                      + " TRIM_HORIZON, LATEST]");
        };
    ShardIterator iterator =
        new ShardIterator(table.name(), StreamArns.label(table), partition, offset, clock.millis());
    ObjectNode out = MAPPER.createObjectNode();
    out.put("ShardIterator", iterator.encode());
    return out;
  }

  /**
   * The offset of the first record whose sequence number compared with {@code sequence} passes
   * {@code test} (given the difference's sign).
   */
  private long at(int partition, String sequence, Predicate<BigInteger> test) {
    if (!sequence.matches("\\d{1,40}")) {
      throw new DynamoException(DynamoException.VALIDATION, "Invalid SequenceNumber: " + sequence);
    }
    BigInteger wanted = new BigInteger(sequence);
    ChangeLog.Bounds bounds = log.bounds(partition);
    if (bounds.begin() > 0) {
      String oldest = log.firstSequenceAtOrAfter(partition, bounds.begin()).orElse(null);
      if (oldest != null && new BigInteger(oldest).compareTo(wanted) > 0) {
        throw new DynamoException(
            TRIMMED,
            "The sequence number "
                + sequence
                + " is beyond the shard's trim horizon: its records may have been deleted");
      }
    }
    return log.locate(
        partition, s -> !s.isEmpty() && test.test(new BigInteger(s).subtract(wanted)));
  }

  private ObjectNode getRecords(JsonNode request) {
    ShardIterator iterator = ShardIterator.decode(required(request, "ShardIterator"));
    int limit = limit(request, 1000);
    long now = clock.millis();
    if (iterator.expiredAt(now)) {
      throw new DynamoException(
          EXPIRED,
          "Iterator expired. The iterator was created at time "
              + iterator.issuedAtMillis()
              + " while right now it's "
              + now
              + "; iterators live 15 minutes");
    }
    TableDefinition table =
        fresh(
                iterator.table(),
                t -> t.streamViewType() != null && StreamArns.label(t).equals(iterator.label()))
            .orElseThrow(
                () ->
                    new DynamoException(
                        DynamoException.NOT_FOUND,
                        "Requested resource not found: the stream of table "
                            + iterator.table()
                            + " labelled "
                            + iterator.label()
                            + " does not exist"));
    if (iterator.partition() >= log.partitions()) {
      throw new DynamoException(DynamoException.VALIDATION, "Invalid ShardIterator");
    }
    if (iterator.offset() < log.bounds(iterator.partition()).begin()) {
      throw new DynamoException(
          TRIMMED,
          "The iterator points at records retention has deleted; start again with TRIM_HORIZON");
    }
    ChangeLog.Page page =
        log.read(
            iterator.partition(),
            iterator.offset(),
            table.name(),
            StreamArns.arn(table),
            limit,
            PAGE_BUDGET);
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode records = out.putArray("Records");
    page.records().forEach(r -> records.add(asApiRecord(r)));
    out.put(
        "NextShardIterator",
        new ShardIterator(
                iterator.table(), iterator.label(), iterator.partition(), page.next(), now)
            .encode());
    return out;
  }

  /**
   * A stored record as GetRecords returns it: without its null members, with awsRegion, and its
   * userIdentity (a TTL deletion's) with the API's member names, {@code PrincipalId} and {@code
   * Type} (the stored record has the Lambda event's, {@code principalId} and {@code type}).
   */
  static ObjectNode asApiRecord(JsonNode stored) {
    ObjectNode record = withoutNulls(stored);
    record.put("awsRegion", "local");
    if (record.get("dynamodb") != null) {
      record.set("dynamodb", withoutNulls(record.get("dynamodb")));
    }
    JsonNode identity = record.get("userIdentity");
    if (identity != null) {
      record
          .putObject("userIdentity")
          .put("PrincipalId", identity.path("principalId").asText())
          .put("Type", identity.path("type").asText());
    }
    return record;
  }

  private static ObjectNode withoutNulls(JsonNode node) {
    ObjectNode copy = MAPPER.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isNull()) {
        copy.set(field.getKey(), field.getValue());
      }
    }
    return copy;
  }

  /** The table whose stream {@code arn} names, if it has that stream now. */
  private TableDefinition stream(String arn) {
    DynamoException notFound =
        new DynamoException(
            DynamoException.NOT_FOUND,
            "Requested resource not found: Stream: " + arn + " not found");
    StreamArns.Parsed parsed = StreamArns.parse(arn).orElseThrow(() -> notFound);
    return fresh(parsed.table(), t -> arn.equals(StreamArns.arn(t))).orElseThrow(() -> notFound);
  }

  /**
   * The table named {@code name} if it passes {@code test}; when the view this replica has fails it
   * (a stream UpdateTable just enabled), the catalog is read to its end first.
   */
  private Optional<TableDefinition> fresh(String name, Predicate<TableDefinition> test) {
    Optional<TableDefinition> known = catalog.get(name).filter(test);
    if (known.isPresent()) {
      return known;
    }
    try {
      catalog.catchUp().get(CATALOG_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception slowOrFailed) {
      // answered from the view as it is
    }
    return catalog.get(name).filter(test);
  }

  private static String required(JsonNode request, String member) {
    String value = Requests.text(request, member);
    if (value == null) {
      throw new DynamoException(
          DynamoException.VALIDATION,
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(member.charAt(0))
              + member.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static int limit(JsonNode request, int max) {
    Integer limit = Requests.limit(request);
    if (limit != null && limit > max) {
      throw new DynamoException(
          DynamoException.VALIDATION,
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value less than or"
              + " equal to "
              + max);
    }
    return limit == null ? max : limit;
  }

  @Override
  public void close() {
    log.close();
  }
}
