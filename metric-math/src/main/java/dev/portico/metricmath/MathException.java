package dev.portico.metricmath;

/**
 * A metric-math expression that cannot be parsed or evaluated: a syntax error, an unknown id or
 * function, a function given the wrong kind of value. The message says what is wrong and, when it
 * points at a place in the expression, where: {@code at position 7: ...}, positions counting from 1
 * (the first character of the expression is position 1).
 */
public final class MathException extends RuntimeException {
  private final int position;
  private final String queryId;

  /**
   * @param position 1-based character position in the expression, or 0 when none applies
   */
  public MathException(String detail, int position) {
    this(detail, position, null);
  }

  private MathException(String detail, int position, String queryId) {
    super(position > 0 ? "at position " + position + ": " + detail : detail, null, false, false);
    this.position = position;
    this.queryId = queryId;
  }

  /** 1-based position in the expression, 0 when the problem is not at one place. */
  public int position() {
    return position;
  }

  /** The id of the query whose expression failed, when known. */
  public String queryId() {
    return queryId;
  }

  MathException in(String id) {
    return queryId != null ? this : new MathException(detail(), position, id);
  }

  private String detail() {
    String message = getMessage();
    String prefix = "at position " + position + ": ";
    return position > 0 && message.startsWith(prefix)
        ? message.substring(prefix.length())
        : message;
  }
}
