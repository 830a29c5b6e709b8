package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One change of one item, shaped like a DynamoDB Streams record. Exactly one per effective change,
 * keyed by the item key, in per-item order.
 */
public record StreamRecord(
    String eventID,
    String eventName,
    String eventVersion,
    String eventSource,
    Change dynamodb,
    UserIdentity userIdentity) {

  public static final String INSERT = "INSERT";
  public static final String MODIFY = "MODIFY";
  public static final String REMOVE = "REMOVE";
  public static final String EVENT_VERSION = "1.1";

  /** The change itself; names as DynamoDB Streams spells them. */
  public record Change(
      @JsonProperty("ApproximateCreationDateTime") long approximateCreationDateTime,
      @JsonProperty("Keys") Map<String, String> keys,
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
