package dev.portico.metricmath;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The functions of metric math that work on the points of time series: reductions, RATE, FILL. */
final class SeriesFunctions {
  private SeriesFunctions() {}

  /** SUM, AVG, MIN or MAX: of a time series, a scalar; of an array, a series point by point. */
  static Value reduce(Expr.Call c, Value input) {
    if (input instanceof Value.Scalar) {
      return input;
    }
    if (input instanceof Value.Series s) {
      double result = Double.NaN;
      int count = 0;
      for (double v : s.series().points().values()) {
        result = count == 0 ? v : fold(c.name(), result, v);
        count++;
      }
      if (count > 0 && c.name().equals("AVG")) {
        result /= count;
      }
      return new Value.Scalar(result);
    }
    TreeMap<Long, double[]> acc = new TreeMap<>(); // {folded, count}
    for (TimeSeries series : ((Value.Array) input).items()) {
      series
          .points()
          .forEach(
              (t, v) ->
                  acc.merge(
                      t,
                      new double[] {v, 1},
                      (a, b) -> new double[] {fold(c.name(), a[0], b[0]), a[1] + 1}));
    }
    NavigableMap<Long, Double> out = new TreeMap<>();
    acc.forEach((t, a) -> out.put(t, c.name().equals("AVG") ? a[0] / a[1] : a[0]));
    return new Value.Series(new TimeSeries(null, c.name(), out));
  }

  private static double fold(String function, double a, double b) {
    return switch (function) {
      case "MIN" -> Math.min(a, b);
      case "MAX" -> Math.max(a, b);
      default -> a + b; // SUM, AVG (divided at the end)
    };
  }

  /** Per point, the change from the previous point per second. */
  static Value rate(Expr.Call c, Value input) {
    if (input instanceof Value.Scalar) {
      throw new MathException("RATE takes a time series or an array, not a scalar", c.position());
    }
    if (input instanceof Value.Series s) {
      return new Value.Series(rate(s.series()));
    }
    return new Value.Array(
        ((Value.Array) input).items().stream().map(SeriesFunctions::rate).toList());
  }

  private static TimeSeries rate(TimeSeries series) {
    NavigableMap<Long, Double> out = new TreeMap<>();
    Map.Entry<Long, Double> previous = null;
    for (Map.Entry<Long, Double> point : series.points().entrySet()) {
      if (previous != null) {
        double seconds = (point.getKey() - previous.getKey()) / 1000.0;
        out.put(point.getKey(), (point.getValue() - previous.getValue()) / seconds);
      }
      previous = point;
    }
    return series.with(out);
  }

  /**
   * FILL of one series over the grid: {@code VALUE} (a constant), {@code REPEAT} or {@code LINEAR}.
   */
  static TimeSeries fill(TimeSeries series, String mode, double constant, Grid grid) {
    NavigableMap<Long, Double> out = new TreeMap<>(series.points());
    for (long t = grid.start(); t < grid.end(); t += grid.step()) {
      if (out.containsKey(t)) {
        continue;
      }
      switch (mode) {
        case "VALUE" -> {
          if (!Double.isNaN(constant)) {
            out.put(t, constant);
          }
        }
        case "REPEAT" -> {
          Map.Entry<Long, Double> before = series.points().lowerEntry(t);
          if (before != null) {
            out.put(t, before.getValue());
          }
        }
        default -> {
          Map.Entry<Long, Double> before = series.points().lowerEntry(t);
          Map.Entry<Long, Double> after = series.points().higherEntry(t);
          if (before != null && after != null) {
            double fraction = (double) (t - before.getKey()) / (after.getKey() - before.getKey());
            out.put(t, before.getValue() + fraction * (after.getValue() - before.getValue()));
          }
        }
      }
    }
    return series.with(out);
  }
}
