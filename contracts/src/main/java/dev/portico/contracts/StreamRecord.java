package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change of one item, shaped like a DynamoDB Streams record. Exactly one per effective change,
 * keyed by the item key, in per-item order.
 *
 * <p>The bundled {@code customers} table's records carry plain JSON ({@code Keys} {@code
 * {"customer_id": "1230AWS"}}, images as the REST API stores them); a team table's records carry
 * DynamoDB JSON ({@code {"pk": {"S": "a"}}}), as DynamoDB Streams returns them, and name their
 * stream in {@code eventSourceARN} (absent from the customers table's records).
 */
public record StreamRecord(
    String eventID,
    String eventName,
    String eventVersion,
    String eventSource,
    Change dynamodb,
    UserIdentity userIdentity,
    @JsonInclude(JsonInclude.Include.NON_NULL) String eventSourceARN) {

  public static final String INSERT = "INSERT";
  public static final String MODIFY = "MODIFY";
  public static final String REMOVE = "REMOVE";
  public static final String EVENT_VERSION = "1.1";

  /** A record of the customers table (no stream ARN). */
  public StreamRecord(
      String eventID,
      String eventName,
      String eventVersion,
      String eventSource,
      Change dynamodb,
      UserIdentity userIdentity) {
    this(eventID, eventName, eventVersion, eventSource, dynamodb, userIdentity, null);
  }

  /** The change itself; names as DynamoDB Streams spells them. */
  public record Change(
      @JsonProperty("ApproximateCreationDateTime") long approximateCreationDateTime,
      @JsonProperty("Keys") JsonNode keys,
      @JsonProperty("NewImage") JsonNode newImage,
      @JsonProperty("OldImage") JsonNode oldImage,
      @JsonProperty("SequenceNumber") String sequenceNumber,
      @JsonProperty("SizeBytes") long sizeBytes,
      @JsonProperty("StreamViewType") String streamViewType) {

    /** A JSON {@code null} image reads back as no image, so records compare as written. */
    public Change {
      newImage = newImage == null || newImage.isNull() ? null : newImage;
      oldImage = oldImage == null || oldImage.isNull() ? null : oldImage;
    }
  }

  /** Who made a change that no client asked for (e.g. TTL expiry). */
  public record UserIdentity(String type, String principalId) {}
}
