package dev.portico.metrics.http;

import java.util.List;

/**
 * A request the API refuses: the status (4xx), a message for people and, when several things are
 * wrong, every problem (so a client fixes its request in one round).
 */
public final class BadRequest extends RuntimeException {
  private final int status;
  private final List<String> problems;

  public BadRequest(int status, String message, List<String> problems) {
    super(message, null, false, false);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public BadRequest(String message) {
    this(400, message, List.of());
  }

  public static BadRequest of(List<String> problems) {
    return problems.size() == 1
        ? new BadRequest(400, problems.get(0), problems)
        : new BadRequest(
            400, problems.size() + " problems: " + problems.get(0) + "; ...", problems);
  }

  public int status() {
    return status;
  }

  public List<String> problems() {
    return problems;
  }
}
