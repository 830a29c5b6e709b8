package dev.portico.alarm.eval;

/**
 * The outcome of one evaluation: the state the alarm should be in, with its reason and reason data
 * (JSON text). {@link #KEEP} means the data decides nothing (TreatMissingData {@code ignore}) and
 * the current state stays.
 */
public record Verdict(String value, String reason, String reasonData) {
  public static final Verdict KEEP = new Verdict(null, null, null);

  public boolean keep() {
    return value == null;
  }
}
