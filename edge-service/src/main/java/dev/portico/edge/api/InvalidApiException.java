package dev.portico.edge.api;

import java.util.List;

/** An API document that cannot be used; lists every problem found, not just the first. */
public final class InvalidApiException extends RuntimeException {
  private final List<String> problems;

  public InvalidApiException(List<String> problems) {
    super("Invalid API document: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
