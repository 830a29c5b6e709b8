package dev.portico.alarm.eval;

/** A composite alarm rule that does not parse; the message names the position (1-based). */
public final class RuleSyntaxException extends Exception {
  public RuleSyntaxException(String message) {
    super(message);
  }
}
