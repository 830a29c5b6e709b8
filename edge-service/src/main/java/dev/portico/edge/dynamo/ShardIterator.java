package dev.portico.edge.dynamo;

import dev.portico.table.api.DynamoException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in one shard of a table's stream: the table and its stream label, the shard (a
 * partition of the changes topic), the Kafka offset of the next record to read, and when the
 * iterator was issued (it expires 15 minutes later, as in DynamoDB Streams). Written as the base64
 * of {@code v1|table|label|partition|offset|issuedAtMillis}; not signed, because it grants nothing:
 * every caller of the API may read every stream from any position anyway.
 */
record ShardIterator(String table, String label, int partition, long offset, long issuedAtMillis) {
  static final long LIFETIME_MILLIS = 15 * 60 * 1000L;
  private static final Pattern SHARD_ID = Pattern.compile("shardId-(\\d{20})-([0-9a-f]{8})");

  String encode() {
    String text =
        String.join(
            "|",
            "v1",
            table,
            label,
            Integer.toString(partition),
            Long.toString(offset),
            Long.toString(issuedAtMillis));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static ShardIterator decode(String iterator) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
      String[] parts = text.split("\\|", -1);
      if (parts.length != 6 || !parts[0].equals("v1")) {
        throw invalid();
      }
      return new ShardIterator(
          parts[1],
          parts[2],
          Integer.parseInt(parts[3]),
          Long.parseLong(parts[4]),
          Long.parseLong(parts[5]));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  boolean expiredAt(long nowMillis) {
    return nowMillis - issuedAtMillis > LIFETIME_MILLIS;
  }

  /**
   * A shard's id: {@code shardId-} with the partition in 20 digits, {@code -} and 8 hex digits of
   * the stream's creation second (DynamoDB's shard ids have this length and shape).
   */
  static String shardId(int partition, long createdAtMillis) {
    return String.format("shardId-%020d-%08x", partition, (createdAtMillis / 1000) & 0xffffffffL);
  }

  /** The partition a shard id names, or -1 when it is not a shard id of that stream. */
  static int partitionOf(String shardId, long createdAtMillis) {
    Matcher m = SHARD_ID.matcher(shardId == null ? "" : shardId);
    if (!m.matches()) {
      return -1;
    }
    long partition = Long.parseLong(m.group(1));
    return partition > Integer.MAX_VALUE
            || !shardId((int) partition, createdAtMillis).equals(shardId)
        ? -1
        : (int) partition;
  }

  private static DynamoException invalid() {
    return new DynamoException(DynamoException.VALIDATION, "Invalid ShardIterator");
  }
}
