package dev.portico.stream;

/**
 * A request the stream API refuses, with the HTTP status and the DynamoDB Streams exception name it
 * corresponds to (so clients written against DynamoDB can branch on the same names).
 */
final class StreamError extends RuntimeException {
  final int status;
  final String type;

  StreamError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static StreamError validation(String message) {
    return new StreamError(400, "ValidationException", message);
  }

  static StreamError expired(String message) {
    return new StreamError(400, "ExpiredIteratorException", message);
  }

  static StreamError trimmed(String message) {
    return new StreamError(400, "TrimmedDataAccessException", message);
  }

  static StreamError notFound(String message) {
    return new StreamError(400, "ResourceNotFoundException", message);
  }

  /** A table that does not exist, or has no stream: nothing at that path (404). */
  static StreamError noStream(String message) {
    return new StreamError(404, "ResourceNotFoundException", message);
  }

  static StreamError busy(String message) {
    return new StreamError(503, "LimitExceededException", message);
  }
}
