package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;
import java.util.Map;

/** Builds the stream record of one effective change, as DynamoDB Streams shapes it. */
final class ChangeRecords {
  static final String EVENT_SOURCE = "portico:customer-service";
  static final String VIEW_TYPE = "NEW_AND_OLD_IMAGES";

  private ChangeRecords() {}

  static StreamRecord of(
      String eventName, String key, JsonNode newImage, JsonNode oldImage, CommandMeta meta) {
    Map<String, String> keys = Map.of(ItemValidation.KEY, key);
    long size =
        Json.toBytes(keys).length
            + (newImage == null ? 0 : Json.toBytes(newImage).length)
            + (oldImage == null ? 0 : Json.toBytes(oldImage).length);
    return new StreamRecord(
        meta.eventId(),
        eventName,
        StreamRecord.EVENT_VERSION,
        EVENT_SOURCE,
        new StreamRecord.Change(
            meta.timestampMillis() / 1000,
            keys,
            newImage,
            oldImage,
            meta.sequenceNumber(),
            size,
            VIEW_TYPE),
        null);
  }
}
