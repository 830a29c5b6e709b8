package dev.portico.metricmath;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Evaluates one parsed expression, with CloudWatch's semantics:
 *
 * <ul>
 *   <li>Arithmetic between time series aligns on timestamps: a point missing in either operand is
 *       missing in the result. Scalars apply to every point. A result that is not a finite number
 *       (division by zero, 0/0) is no point. Arrays apply the operation to each of their series.
 *   <li>Comparisons ({@code < <= > >= == !=}) and {@code AND}, {@code OR}, {@code NOT} yield 1 or 0
 *       (any value other than 0 is true); they serve IF.
 *   <li>{@code SUM}, {@code AVG}, {@code MIN}, {@code MAX}: of one time series, a scalar over its
 *       points; of an array, one time series, point by point over the series that have a value at
 *       that timestamp.
 *   <li>{@code ABS}: of anything. {@code RATE(x)}: per point, the change from the previous point
 *       divided by the seconds between them (the first point has none).
 *   <li>{@code FILL(x, v)}: every grid timestamp without a point gets {@code v} (a scalar), the
 *       most recent earlier value ({@code REPEAT}; none before the first point), or the linear
 *       interpolation between its neighbours ({@code LINEAR}; none outside the first and last).
 *   <li>{@code IF(c, a[, b])}: where {@code c} is not 0, {@code a}'s value, else {@code b}'s (no
 *       point without {@code b}); points missing in {@code c} are missing.
 *   <li>{@code METRICS()}: every MetricStat query of the request as an array (in request order);
 *       {@code METRICS('text')}: those whose Id contains {@code text}.
 * </ul>
 */
public final class Evaluator {
  /** What an expression can read: other queries' values, the request's metrics, the grid. */
  public interface Context {
    /** The value of query {@code id}; throws {@link MathException} when there is none. */
    Value resolve(String id, int position);

    /** Every MetricStat query's series, in request order (for METRICS()). */
    List<TimeSeries> metrics();

    /** The timestamps FILL fills and a scalar result takes. */
    Grid grid();
  }

  private final Context context;

  private Evaluator(Context context) {
    this.context = context;
  }

  public static Value evaluate(Expr expr, Context context) {
    return new Evaluator(context).eval(expr);
  }

  private Value eval(Expr expr) {
    if (expr instanceof Expr.Number n) {
      return new Value.Scalar(n.value());
    }
    if (expr instanceof Expr.Ref r) {
      return context.resolve(r.id(), r.position());
    }
    if (expr instanceof Expr.Unary u) {
      Value operand = eval(u.operand());
      return u.op().equals("-")
          ? Operators.map(operand, v -> -v)
          : Operators.map(operand, v -> v == 0 ? 1 : 0);
    }
    if (expr instanceof Expr.Binary b) {
      return Operators.binary(b, eval(b.left()), eval(b.right()));
    }
    if (expr instanceof Expr.Array a) {
      List<TimeSeries> items = new ArrayList<>();
      for (Expr item : a.items()) {
        Value value = eval(item);
        if (value instanceof Value.Series s) {
          items.add(s.series());
        } else if (value instanceof Value.Array inner) {
          items.addAll(inner.items());
        } else {
          throw new MathException(
              "an array holds time series, not " + Value.kind(value), item.position());
        }
      }
      return new Value.Array(List.copyOf(items));
    }
    if (expr instanceof Expr.Call c) {
      return call(c);
    }
    if (expr instanceof Expr.Keyword k) {
      throw new MathException(
          k.name() + " is only allowed as FILL's second argument", k.position());
    }
    Expr.Text t = (Expr.Text) expr;
    throw new MathException("text is only allowed as METRICS' argument", t.position());
  }

  // --- functions

  private Value call(Expr.Call c) {
    return switch (c.name()) {
      case "ABS" -> Operators.map(eval(arg(c, 0, 1, 1)), Math::abs);
      case "SUM", "AVG", "MIN", "MAX" -> SeriesFunctions.reduce(c, eval(arg(c, 0, 1, 1)));
      case "RATE" -> SeriesFunctions.rate(c, eval(arg(c, 0, 1, 1)));
      case "FILL" -> fill(c);
      case "IF" -> conditional(c);
      case "METRICS" -> metrics(c);
      default -> throw new MathException("unknown function " + c.name(), c.position());
    };
  }

  /** Argument {@code index}, checking the call has {@code min}-{@code max} arguments. */
  private static Expr arg(Expr.Call c, int index, int min, int max) {
    int n = c.args().size();
    if (n < min || n > max) {
      String expected =
          min == max
              ? min + " argument" + (min == 1 ? "" : "s")
              : min + " to " + max + " arguments";
      throw new MathException(c.name() + " takes " + expected + ", got " + n, c.position());
    }
    return c.args().get(index);
  }

  private Value fill(Expr.Call c) {
    Value input = eval(arg(c, 0, 2, 2));
    Expr how = c.args().get(1);
    if (input instanceof Value.Scalar) {
      throw new MathException("FILL takes a time series or an array, not a scalar", c.position());
    }
    String mode;
    double constant = Double.NaN;
    if (how instanceof Expr.Keyword k) {
      mode = k.name();
    } else {
      Value value = eval(how);
      if (!(value instanceof Value.Scalar s)) {
        throw new MathException(
            "FILL's second argument must be a number, REPEAT or LINEAR, not " + Value.kind(value),
            how.position());
      }
      mode = "VALUE";
      constant = s.value();
    }
    String fillMode = mode;
    double fillValue = constant;
    if (input instanceof Value.Series s) {
      return new Value.Series(
          SeriesFunctions.fill(s.series(), fillMode, fillValue, context.grid()));
    }
    return new Value.Array(
        ((Value.Array) input)
            .items().stream()
                .map(t -> SeriesFunctions.fill(t, fillMode, fillValue, context.grid()))
                .toList());
  }

  private Value conditional(Expr.Call c) {
    Value condition = eval(arg(c, 0, 2, 3));
    Value whenTrue = eval(c.args().get(1));
    Value whenFalse = c.args().size() > 2 ? eval(c.args().get(2)) : null;
    for (Value v : new Value[] {condition, whenTrue, whenFalse}) {
      if (v instanceof Value.Array) {
        throw new MathException("IF takes scalars or time series, not arrays", c.position());
      }
    }
    if (condition instanceof Value.Scalar s) {
      if (Double.isNaN(s.value())) {
        return new Value.Scalar(Double.NaN);
      }
      return s.value() != 0
          ? whenTrue
          : whenFalse != null ? whenFalse : new Value.Scalar(Double.NaN);
    }
    TimeSeries cond = ((Value.Series) condition).series();
    NavigableMap<Long, Double> out = new TreeMap<>();
    cond.points()
        .forEach(
            (t, v) -> {
              Value chosen = v != 0 ? whenTrue : whenFalse;
              Double value = valueAt(chosen, t);
              if (value != null) {
                out.put(t, value);
              }
            });
    TimeSeries labelled =
        whenTrue instanceof Value.Series s ? s.series() : new TimeSeries(null, "IF", out);
    return new Value.Series(labelled.with(out));
  }

  private static Double valueAt(Value value, long t) {
    if (value == null) {
      return null;
    }
    if (value instanceof Value.Scalar s) {
      return Double.isNaN(s.value()) ? null : s.value();
    }
    return ((Value.Series) value).series().points().get(t);
  }

  private Value metrics(Expr.Call c) {
    if (c.args().size() > 1) {
      throw new MathException(
          "METRICS takes no argument or one text, got " + c.args().size(), c.position());
    }
    String filter = null;
    if (c.args().size() == 1) {
      if (!(c.args().get(0) instanceof Expr.Text text)) {
        throw new MathException(
            "METRICS' argument must be a text in quotes, like METRICS('errors')",
            c.args().get(0).position());
      }
      filter = text.value();
    }
    List<TimeSeries> items = new ArrayList<>();
    for (TimeSeries series : context.metrics()) {
      if (filter == null || (series.id() != null && series.id().contains(filter))) {
        items.add(series);
      }
    }
    return new Value.Array(List.copyOf(items));
  }
}
