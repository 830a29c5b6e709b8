package dev.portico.table.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A DynamoDB error: its exception name ({@code ValidationException}, {@code
 * ConditionalCheckFailedException}, ...), message, and for a failed condition the item when the
 * request asked for it. DynamoDB answers them with HTTP 400, except its server errors (500, 503).
 */
public final class DynamoException extends RuntimeException {
  public static final String VALIDATION = "ValidationException";
  public static final String NOT_FOUND = "ResourceNotFoundException";
  public static final String IN_USE = "ResourceInUseException";
  public static final String CONDITION_FAILED = "ConditionalCheckFailedException";
  public static final String INTERNAL = "InternalServerError";

  /** DynamoDB's content type (JSON protocol 1.0). */
  public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

  /** The namespace DynamoDB puts before an error's name in {@code __type}. */
  public static final String NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

  private final String type;
  private final ObjectNode item;

  public DynamoException(String type, String message) {
    this(type, message, null);
  }

  public DynamoException(String type, String message, ObjectNode item) {
    super(message, null, false, false);
    this.type = type;
    this.item = item;
  }

  public String type() {
    return type;
  }

  /** The item a failed condition returns ({@code ReturnValuesOnConditionCheckFailure}), or null. */
  public ObjectNode item() {
    return item;
  }

  /** 500 for a server error (clients retry it), 400 for everything the request did wrong. */
  public int status() {
    return type.equals(INTERNAL) ? 500 : 400;
  }

  /** The error's body: {@code __type}, {@code message}, and the item if there is one. */
  public ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("__type", NAMESPACE + type);
    body.put("message", getMessage());
    if (item != null) {
      body.set("Item", item);
    }
    return body;
  }

  public static DynamoException tableNotFound(String table) {
    return new DynamoException(
        NOT_FOUND, "Requested resource not found: Table: " + table + " not found");
  }
}
