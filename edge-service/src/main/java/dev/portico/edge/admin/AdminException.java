package dev.portico.edge.admin;

import java.util.List;

/** An admin request that cannot be done: the HTTP status, a message and, for 400, every problem. */
public final class AdminException extends RuntimeException {
  private final int status;
  private final List<String> problems;

  public AdminException(int status, String message, List<String> problems) {
    super(message, null, false, false);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public AdminException(int status, String message) {
    this(status, message, List.of());
  }

  static AdminException notFound(String what) {
    return new AdminException(404, what + " not found");
  }

  static AdminException invalid(List<String> problems) {
    return new AdminException(400, "Invalid request", problems);
  }

  public int status() {
    return status;
  }

  public List<String> problems() {
    return problems;
  }
}
