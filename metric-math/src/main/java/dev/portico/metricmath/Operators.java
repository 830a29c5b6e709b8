package dev.portico.metricmath;

import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The operators of metric math ({@code + - * / ^}, comparisons, {@code AND}, {@code OR}, {@code
 * NOT}) over scalars, time series and arrays, with the alignment rules {@link Evaluator} states.
 */
final class Operators {
  private Operators() {}

  /** {@code left op right}: scalars, time series aligned on timestamps, or each of an array. */
  static Value binary(Expr.Binary b, Value left, Value right) {
    DoubleBinaryOperator op =
        switch (b.op()) {
          case "+" -> Double::sum;
          case "-" -> (x, y) -> x - y;
          case "*" -> (x, y) -> x * y;
          case "/" -> (x, y) -> y == 0 ? Double.NaN : x / y;
          case "^" -> Math::pow;
          case "<" -> (x, y) -> x < y ? 1 : 0;
          case "<=" -> (x, y) -> x <= y ? 1 : 0;
          case ">" -> (x, y) -> x > y ? 1 : 0;
          case ">=" -> (x, y) -> x >= y ? 1 : 0;
          case "==" -> (x, y) -> x == y ? 1 : 0;
          case "!=" -> (x, y) -> x != y ? 1 : 0;
          case "AND" -> (x, y) -> x != 0 && y != 0 ? 1 : 0;
          case "OR" -> (x, y) -> x != 0 || y != 0 ? 1 : 0;
          default -> throw new MathException("unknown operator " + b.op(), b.position());
        };
    if (left instanceof Value.Array && right instanceof Value.Array) {
      throw new MathException(
          "'" + b.op() + "' between two arrays of time series is not supported", b.position());
    }
    if (left instanceof Value.Array a) {
      return new Value.Array(a.items().stream().map(s -> combine(s, right, op, false)).toList());
    }
    if (right instanceof Value.Array a) {
      return new Value.Array(a.items().stream().map(s -> combine(s, left, op, true)).toList());
    }
    if (left instanceof Value.Series s) {
      return new Value.Series(combine(s.series(), right, op, false));
    }
    if (right instanceof Value.Series s) {
      return new Value.Series(combine(s.series(), left, op, true));
    }
    double x = ((Value.Scalar) left).value();
    double y = ((Value.Scalar) right).value();
    double result = op.applyAsDouble(x, y);
    return new Value.Scalar(Double.isFinite(result) ? result : Double.NaN);
  }

  /** {@code series op other} (or {@code other op series} when {@code swapped}). */
  private static TimeSeries combine(
      TimeSeries series, Value other, DoubleBinaryOperator op, boolean swapped) {
    NavigableMap<Long, Double> out = new TreeMap<>();
    if (other instanceof Value.Scalar scalar) {
      double y = scalar.value();
      if (!Double.isNaN(y)) {
        series
            .points()
            .forEach(
                (t, x) -> out.put(t, swapped ? op.applyAsDouble(y, x) : op.applyAsDouble(x, y)));
      }
      return series.with(out);
    }
    TimeSeries that = ((Value.Series) other).series();
    series
        .points()
        .forEach(
            (t, x) -> {
              Double y = that.points().get(t);
              if (y != null) {
                out.put(t, swapped ? op.applyAsDouble(y, x) : op.applyAsDouble(x, y));
              }
            });
    // A computed series keeps the label of its left time series operand.
    return swapped ? that.with(out) : series.with(out);
  }

  /** {@code op} on every point (or the scalar) of a value. */
  static Value map(Value value, DoubleUnaryOperator op) {
    if (value instanceof Value.Scalar s) {
      return Double.isNaN(s.value()) ? s : new Value.Scalar(op.applyAsDouble(s.value()));
    }
    if (value instanceof Value.Series s) {
      return new Value.Series(map(s.series(), op));
    }
    return new Value.Array(((Value.Array) value).items().stream().map(s -> map(s, op)).toList());
  }

  private static TimeSeries map(TimeSeries series, DoubleUnaryOperator op) {
    NavigableMap<Long, Double> out = new TreeMap<>();
    series.points().forEach((t, v) -> out.put(t, op.applyAsDouble(v)));
    return series.with(out);
  }
}
