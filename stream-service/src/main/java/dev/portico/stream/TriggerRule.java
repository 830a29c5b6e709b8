package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.TriggerDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trigger: on which change events it fires, an optional attribute condition, and the message it
 * publishes to a notification topic (alarm-service's topics), with {@code ${...}} templates.
 *
 * @param on INSERT, MODIFY and/or REMOVE
 * @param filter null (always) or a condition on one top-level attribute of the image: {@code
 *     NewImage}, or {@code OldImage} for REMOVE
 * @param table the table whose changes it watches: {@code customers} or a team table's name
 */
record TriggerRule(
    String name,
    Set<String> on,
    Filter filter,
    String topic,
    String subject,
    String body,
    String table) {
  static final String CUSTOMERS = "customers";
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern PATH =
      Pattern.compile("(NewImage|OldImage|Keys)\\.[^.\\s]+|eventName|eventID|SequenceNumber");
  private static final Set<String> EVENTS = Set.of("INSERT", "MODIFY", "REMOVE");

  /**
   * {@code {"attribute": "email", "exists": true}} or {@code {"attribute": "plan", "equals":
   * "gold"}}.
   */
  record Filter(String attribute, Boolean exists, JsonNode equals) {
    boolean test(JsonNode image) {
      JsonNode value = image == null ? null : image.get(attribute);
      boolean present = value != null && !value.isNull();
      if (exists != null) {
        return present == exists;
      }
      return present && Numbers.sameValue(value, equals);
    }
  }

  /** The rule as stored in the triggers topic. */
  TriggerDefinition definition() {
    return new TriggerDefinition(
        name,
        List.copyOf(on),
        filter == null
            ? null
            : new TriggerDefinition.Filter(filter.attribute(), filter.exists(), filter.equals()),
        new TriggerDefinition.Action(new TriggerDefinition.Publish(topic, subject, body)),
        table.equals(CUSTOMERS) ? null : table);
  }

  /** The rule's JSON form, as stored and returned by the API. */
  JsonNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode().put("name", name);
    if (!table.equals(CUSTOMERS)) {
      json.put("table", table);
    }
    on.forEach(json.putArray("on")::add);
    if (filter != null) {
      ObjectNode f = json.putObject("filter").put("attribute", filter.attribute());
      if (filter.exists() != null) {
        f.put("exists", filter.exists());
      } else {
        f.set("equals", filter.equals());
      }
    }
    json.putObject("action")
        .putObject("publish")
        .put("topic", topic)
        .put("subject", subject)
        .put("body", body);
    return json;
  }

  /** Parses and validates a rule; every problem is a 400 naming the field. */
  static TriggerRule parse(String name, JsonNode json) {
    if (!NAME.matcher(name).matches()) {
      throw StreamError.validation("Trigger name must be 1-256 of A-Z a-z 0-9 _ -");
    }
    if (json == null || !json.isObject()) {
      throw StreamError.validation("Body must be a JSON object");
    }
    allowOnly(json, "", "name", "table", "on", "filter", "action");
    String table = CUSTOMERS;
    JsonNode tableNode = json.get("table");
    if (tableNode != null && !tableNode.isNull()) {
      if (!tableNode.isTextual() || !TABLE.matcher(tableNode.asText()).matches()) {
        throw StreamError.validation("table must be a table name (3-255 of A-Z a-z 0-9 _ . -)");
      }
      table = tableNode.asText();
    }
    if (json.has("name") && !name.equals(json.get("name").asText(null))) {
      throw StreamError.validation("name in the body must match the path");
    }
    JsonNode onNode = json.get("on");
    if (onNode == null || !onNode.isArray() || onNode.isEmpty()) {
      throw StreamError.validation("on must be a non-empty array of INSERT, MODIFY, REMOVE");
    }
    Set<String> on = new LinkedHashSet<>();
    for (JsonNode e : onNode) {
      if (!e.isTextual() || !EVENTS.contains(e.asText())) {
        throw StreamError.validation("on: " + e + " is not INSERT, MODIFY or REMOVE");
      }
      on.add(e.asText());
    }
    Filter filter = null;
    JsonNode f = json.get("filter");
    if (f != null && !f.isNull()) {
      if (!f.isObject()) {
        throw StreamError.validation("filter must be an object");
      }
      allowOnly(f, "filter.", "attribute", "exists", "equals");
      JsonNode attribute = f.get("attribute");
      if (attribute == null || !attribute.isTextual() || attribute.asText().isEmpty()) {
        throw StreamError.validation("filter.attribute must be a non-empty string");
      }
      if (f.has("exists") == f.has("equals")) {
        throw StreamError.validation("filter needs exactly one of exists (true/false) or equals");
      }
      if (f.has("exists") && !f.get("exists").isBoolean()) {
        throw StreamError.validation("filter.exists must be true or false");
      }
      filter =
          new Filter(
              attribute.asText(),
              f.has("exists") ? f.get("exists").asBoolean() : null,
              f.get("equals"));
    }
    JsonNode action = json.get("action");
    if (action == null || !action.isObject()) {
      throw StreamError.validation("action must be {\"publish\": {topic, subject, body}}");
    }
    allowOnly(action, "action.", "publish");
    JsonNode publish = action.get("publish");
    if (publish == null || !publish.isObject()) {
      throw StreamError.validation("action.publish must be {topic, subject, body}");
    }
    allowOnly(publish, "action.publish.", "topic", "subject", "body");
    String topic = text(publish, "topic", true);
    if (!TOPIC.matcher(topic).matches()) {
      throw StreamError.validation(
          "action.publish.topic must be a notification topic name (1-256 of A-Z a-z 0-9 _ -)");
    }
    String subject = text(publish, "subject", false);
    String body = text(publish, "body", true);
    checkTemplate("action.publish.subject", subject);
    checkTemplate("action.publish.body", body);
    return new TriggerRule(name, Set.copyOf(on), filter, topic, subject, body, table);
  }

  /** Whether this rule fires for the change record {@code change} (the record's JSON). */
  boolean matches(JsonNode change) {
    String event = change.path("eventName").asText();
    if (!on.contains(event)) {
      return false;
    }
    if (filter == null) {
      return true;
    }
    String image = event.equals("REMOVE") ? "OldImage" : "NewImage";
    return filter.test(change.path("dynamodb").get(image));
  }

  /** Fills {@code ${...}} from the record; a missing attribute renders as nothing. */
  static String render(String template, JsonNode change) {
    if (template == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(lookup(m.group(1).trim(), change)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String lookup(String path, JsonNode change) {
    JsonNode value =
        switch (path) {
          case "eventName", "eventID" -> change.get(path);
          case "SequenceNumber" -> change.path("dynamodb").get("SequenceNumber");
          default -> {
            int dot = path.indexOf('.');
            yield change.path("dynamodb").path(path.substring(0, dot)).get(path.substring(dot + 1));
          }
        };
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static void checkTemplate(String field, String template) {
    if (template == null) {
      return;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PATH.matcher(m.group(1).trim()).matches()) {
        throw StreamError.validation(
            field
                + ": unknown placeholder ${"
                + m.group(1)
                + "}; use ${NewImage.attr}, ${OldImage.attr}, ${Keys.attr}, ${eventName},"
                + " ${eventID} or ${SequenceNumber}");
      }
    }
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw StreamError.validation("action.publish." + field + " is required");
      }
      return null;
    }
    if (!value.isTextual() || (required && value.asText().isEmpty())) {
      throw StreamError.validation("action.publish." + field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static void allowOnly(JsonNode node, String prefix, String... allowed) {
    List<String> names = List.of(allowed);
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!names.contains(f)) {
        unknown.add(prefix + f);
      }
    }
    if (!unknown.isEmpty()) {
      throw StreamError.validation("Unknown field(s) " + unknown + "; allowed: " + names);
    }
  }

  /** JSON value equality where numbers compare by value ({@code 1} equals {@code 1.0}). */
  static final class Numbers {
    private Numbers() {}

    static boolean sameValue(JsonNode a, JsonNode b) {
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      return a.equals(b);
    }
  }
}
