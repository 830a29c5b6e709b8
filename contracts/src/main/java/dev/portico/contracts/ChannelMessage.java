package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message for every WebSocket client subscribed to {@code channel}, on whichever edge replica it
 * is connected. Published (keyed by channel) by stream-service's fan-out or by any backend; every
 * edge replica reads every partition and delivers to its own subscribers.
 *
 * @param channel e.g. {@code customers}, {@code customers/1230AWS}, {@code alarms}, {@code
 *     metrics/ApiName=customer-api}
 * @param eventId the id of the event this message carries (a stream record's {@code eventID}, an
 *     alarm transition's id): clients dedupe by it
 * @param data the JSON the subscriber receives
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelMessage(String channel, String eventId, JsonNode data) {}
