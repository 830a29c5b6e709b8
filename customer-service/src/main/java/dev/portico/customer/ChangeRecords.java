package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;

/**
 * Builds the stream record of one effective change as DynamoDB Streams shapes it, keeping the
 * images the stream view type asks for: the customers table's (plain JSON) and team tables' (their
 * images in DynamoDB JSON, named by their stream's ARN).
 */
public final class ChangeRecords {
  static final String EVENT_SOURCE = "portico:customer-service";

  /** A team table's records' eventSource, as DynamoDB Streams names it. */
  public static final String TABLE_EVENT_SOURCE = "aws:dynamodb";

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
    JsonNode keys = Json.MAPPER.createObjectNode().put(ItemValidation.KEY, key);
    return of(eventName, keys, newImage, oldImage, view, context, identity, EVENT_SOURCE, null);
  }

  /**
   * @param keys the item's key attributes
   * @param eventSourceArn the stream's ARN ({@code null} for the customers table)
   */
  public static StreamRecord of(
      String eventName,
      JsonNode keys,
      JsonNode newImage,
      JsonNode oldImage,
      StreamViewType view,
      ChangeContext context,
      StreamRecord.UserIdentity identity,
      String eventSource,
      String eventSourceArn) {
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
        eventSource,
        new StreamRecord.Change(
            context.nowMillis() / 1000, keys, shownNew, shownOld, sequence, size, view.name()),
        identity,
        eventSourceArn);
  }
}
