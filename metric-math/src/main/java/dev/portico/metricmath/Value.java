package dev.portico.metricmath;

import java.util.List;

/** What an expression yields: a scalar, one time series, or an array of time series. */
public sealed interface Value {
  /** A single number; {@code NaN} when it has no value (SUM of an empty series, 1/0). */
  record Scalar(double value) implements Value {}

  /** One time series. */
  record Series(TimeSeries series) implements Value {}

  /** Several time series ({@code [m1, m2]}, {@code METRICS()}, and functions applied to them). */
  record Array(List<TimeSeries> items) implements Value {}

  /** For messages: "a scalar", "a time series", "an array of time series". */
  static String kind(Value value) {
    if (value instanceof Scalar) {
      return "a scalar";
    }
    return value instanceof Series ? "a time series" : "an array of time series";
  }
}
