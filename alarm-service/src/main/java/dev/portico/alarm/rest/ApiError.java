package dev.portico.alarm.rest;

import java.util.List;

/**
 * A request the API turns down, with the HTTP status to answer and every problem found. Rendered as
 * {@code {"message": ..., "problems": [...]}}.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final List<String> problems;

  public ApiError(int status, String message) {
    this(status, message, List.of());
  }

  public ApiError(int status, String message, List<String> problems) {
    super(message, null, false, false);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public int status() {
    return status;
  }

  public List<String> problems() {
    return problems;
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }
}
