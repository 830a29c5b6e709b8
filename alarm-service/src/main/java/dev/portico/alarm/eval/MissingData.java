package dev.portico.alarm.eval;

/** TreatMissingData: what a period without a datapoint counts as. */
public enum MissingData {
  missing,
  ignore,
  breaching,
  notBreaching;

  public static MissingData named(String name) {
    for (MissingData m : values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** The name reason texts use for filled-in datapoints: {@code [Breaching]}. */
  String treatedAs() {
    return this == breaching ? "Breaching" : "NonBreaching";
  }
}
