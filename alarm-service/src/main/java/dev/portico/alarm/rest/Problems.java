package dev.portico.alarm.rest;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request, so one answer names them all. */
final class Problems {
  private final List<String> problems = new ArrayList<>();

  void add(String problem) {
    problems.add(problem);
  }

  void forEach(java.util.function.Consumer<String> action) {
    problems.forEach(action);
  }

  boolean any() {
    return !problems.isEmpty();
  }

  /** Throws a 400 naming every problem, if there is any. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    String message =
        problems.size() == 1 ? problems.get(0) : "The request has " + problems.size() + " problems";
    throw new ApiError(400, message, problems);
  }
}
