package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;
import java.util.Map;

/**
 * Builds the stream record of one effective change as DynamoDB Streams shapes it, keeping the
 * images the stream view type asks for.
 */
final class ChangeRecords {
  static final String EVENT_SOURCE = "portico:customer-service";
  static final StreamRecord.UserIdentity TTL =
      new StreamRecord.UserIdentity("Service", "portico:ttl");

  private ChangeRecords() {}

  static StreamRecord of(
      String eventName,
      String key,
      JsonNode newImage,
      JsonNode oldImage,
      StreamViewType view,
      ChangeContext context,
      StreamRecord.UserIdentity identity) {
    Map<String, String> keys = Map.of(ItemValidation.KEY, key);
    JsonNode shownNew = view.showsNew() ? newImage : null;
    JsonNode shownOld = view.showsOld() ? oldImage : null;
    long size =
        Json.toBytes(keys).length
            + (shownNew == null ? 0 : Json.toBytes(shownNew).length)
            + (shownOld == null ? 0 : Json.toBytes(shownOld).length);
    String sequence = context.nextSequenceNumber();
    return new StreamRecord(
        context.eventId(sequence),
        eventName,
        StreamRecord.EVENT_VERSION,
        EVENT_SOURCE,
        new StreamRecord.Change(
            context.nowMillis() / 1000, keys, shownNew, shownOld, sequence, size, view.name()),
        identity);
  }
}
