package dev.portico.table.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * A table's stream names: its label, the stream's creation time (the table's, or when UpdateTable
 * enabled it) in ISO form to the millisecond, UTC ({@code 2026-12-06T08:31:29.123}, as DynamoDB
 * labels a stream), and its ARN, {@code
 * arn:aws:dynamodb:local:000000000000:table/<name>/stream/<label>}. The label is fixed when the
 * stream begins, so a table deleted and created again under the same name, or a stream disabled and
 * enabled again, has a new stream.
 */
public final class StreamArns {
  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String STREAM = "/stream/";

  /** A stream ARN's parts. */
  public record Parsed(String table, String label) {}

  private StreamArns() {}

  public static String label(TableDefinition table) {
    return LABEL.format(Instant.ofEpochMilli(table.streamCreatedAtMillis()));
  }

  /** The ARN of the table's stream, or {@code null} when it has none. */
  public static String arn(TableDefinition table) {
    return table.streamViewType() == null
        ? null
        : TableDescription.ARN_PREFIX + table.name() + STREAM + label(table);
  }

  /** The table name and label of a stream ARN; empty when it is not one. */
  public static Optional<Parsed> parse(String arn) {
    if (arn == null || !arn.startsWith(TableDescription.ARN_PREFIX)) {
      return Optional.empty();
    }
    String rest = arn.substring(TableDescription.ARN_PREFIX.length());
    int at = rest.indexOf(STREAM);
    if (at <= 0 || at + STREAM.length() == rest.length()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(rest.substring(0, at), rest.substring(at + STREAM.length())));
  }
}
