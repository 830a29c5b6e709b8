package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A trigger rule as stored in {@link Topics#STREAM_TRIGGERS} and returned by stream-service's
 * triggers API: on which change events it fires, an optional condition on one attribute, and the
 * message it publishes to a notification topic. stream-service validates and evaluates it.
 *
 * @param on INSERT, MODIFY and/or REMOVE
 * @param filter null (always fires) or a condition on one top-level attribute of the image
 * @param table the table whose changes it watches: null for the bundled {@code customers} table, or
 *     a team table's name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerDefinition(
    String name, List<String> on, Filter filter, Action action, String table) {

  /** A rule on the customers table. */
  public TriggerDefinition(String name, List<String> on, Filter filter, Action action) {
    this(name, on, filter, action, null);
  }

  /** Exactly one of {@code exists} and {@code equals}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Filter(String attribute, Boolean exists, JsonNode equals) {}

  public record Action(Publish publish) {}

  /**
   * A {@link Notification} to the notification topic {@code topic}; {@code subject} and {@code
   * body} are templates. A rule without a subject stores {@code "subject": null}.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Publish(String topic, String subject, String body) {}
}
