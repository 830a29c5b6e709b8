package dev.portico.metricmath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A set of queries (GetMetricData's MetricDataQueries, an alarm's Metrics), checked: every
 * expression parses, names only existing ids, and no expressions depend on each other in a cycle.
 * It evaluates the expressions in dependency order from the MetricStat queries' series.
 */
public final class MathPlan {
  /** CloudWatch's limit on an Expression's length (MetricDataQuery.Expression: 1-2048). */
  public static final int MAX_EXPRESSION_LENGTH = 2048;

  /** CloudWatch's Id: starts with a lowercase letter, then letters, digits or _, 1-255. */
  public static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");

  /** One query: a MetricStat ({@code expression} null) or an expression. */
  public record Query(String id, String expression) {}

  private final List<String> metricIds;
  private final Map<String, Expr> expressions; // in dependency order
  private final Map<String, Set<String>> metricsUsed;

  private MathPlan(
      List<String> metricIds, Map<String, Expr> expressions, Map<String, Set<String>> used) {
    this.metricIds = metricIds;
    this.expressions = expressions;
    this.metricsUsed = used;
  }

  /**
   * Checks {@code queries}; each problem is added to {@code problems} as {@code
   * <path>[i].Expression: ...}. Returns null when there was any. Ids are expected valid and unique
   * already (the caller reports those); queries with a bad id are skipped.
   */
  public static MathPlan of(List<Query> queries, String path, List<String> problems) {
    int before = problems.size();
    Map<String, Integer> index = new HashMap<>();
    List<String> metricIds = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      if (q.id() != null && ID.matcher(q.id()).matches() && !index.containsKey(q.id())) {
        index.put(q.id(), i);
        if (q.expression() == null) {
          metricIds.add(q.id());
        }
      }
    }
    Map<String, Expr> parsed = new LinkedHashMap<>();
    Map<String, Set<String>> refs = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      if (q.expression() == null || !Integer.valueOf(i).equals(index.get(q.id()))) {
        continue;
      }
      String where = path + "[" + i + "].Expression: ";
      if (q.expression().isBlank() || q.expression().length() > MAX_EXPRESSION_LENGTH) {
        problems.add(where + "must be 1-" + MAX_EXPRESSION_LENGTH + " characters");
        continue;
      }
      Expr expr;
      try {
        expr = Parser.parse(q.expression());
      } catch (MathException e) {
        problems.add(where + "syntax error " + e.getMessage());
        continue;
      }
      Set<String> ids = new LinkedHashSet<>();
      expr.collectIds(ids);
      boolean known = true;
      for (String id : ids) {
        if (!index.containsKey(id)) {
          problems.add(
              where
                  + "unknown id '"
                  + id
                  + "' at position "
                  + firstPosition(expr, id)
                  + " (no query has this Id)");
          known = false;
        }
      }
      if (known) {
        parsed.put(q.id(), expr);
        refs.put(q.id(), ids);
      }
    }
    Map<String, Expr> ordered = new LinkedHashMap<>();
    Set<String> reported = new TreeSet<>();
    for (String id : parsed.keySet()) {
      visit(id, parsed, refs, ordered, new ArrayList<>(), reported, path, problems);
    }
    if (problems.size() > before) {
      return null;
    }
    Map<String, Set<String>> used = new HashMap<>();
    for (String id : metricIds) {
      used.put(id, Set.of(id));
    }
    for (var entry : ordered.entrySet()) {
      Set<String> metrics = new LinkedHashSet<>();
      for (String ref : refs.get(entry.getKey())) {
        metrics.addAll(used.get(ref));
      }
      if (entry.getValue().usesMetrics()) {
        metrics.addAll(metricIds); // METRICS('filter') may use fewer: counted as all
      }
      used.put(entry.getKey(), Set.copyOf(metrics));
    }
    return new MathPlan(List.copyOf(metricIds), ordered, used);
  }

  private static void visit(
      String id,
      Map<String, Expr> parsed,
      Map<String, Set<String>> refs,
      Map<String, Expr> ordered,
      List<String> stack,
      Set<String> reported,
      String path,
      List<String> problems) {
    if (ordered.containsKey(id) || !parsed.containsKey(id)) {
      return;
    }
    int at = stack.indexOf(id);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(stack.subList(at, stack.size()));
      if (reported.addAll(cycle)) {
        cycle.add(id);
        problems.add(
            path
                + ": the expressions depend on each other in a cycle: "
                + String.join(" -> ", cycle));
      }
      return;
    }
    stack.add(id);
    for (String ref : refs.get(id)) {
      visit(ref, parsed, refs, ordered, stack, reported, path, problems);
    }
    stack.remove(stack.size() - 1);
    if (!reported.contains(id)) {
      ordered.putIfAbsent(id, parsed.get(id));
    }
  }

  private static int firstPosition(Expr expr, String id) {
    if (expr instanceof Expr.Ref r) {
      return r.id().equals(id) ? r.position() : Integer.MAX_VALUE;
    }
    List<Expr> children = List.of();
    if (expr instanceof Expr.Unary u) {
      children = List.of(u.operand());
    } else if (expr instanceof Expr.Binary b) {
      children = List.of(b.left(), b.right());
    } else if (expr instanceof Expr.Call c) {
      children = c.args();
    } else if (expr instanceof Expr.Array a) {
      children = a.items();
    }
    int best = Integer.MAX_VALUE;
    for (Expr child : children) {
      best = Math.min(best, firstPosition(child, id));
    }
    return best;
  }

  /** The MetricStat query ids, in request order. */
  public List<String> metricIds() {
    return metricIds;
  }

  public boolean isExpression(String id) {
    return expressions.containsKey(id);
  }

  /** The MetricStat queries {@code id} reads, directly or through other expressions. */
  public Set<String> metricsUsedBy(String id) {
    return metricsUsed.getOrDefault(id, Set.of());
  }

  /**
   * Evaluates every expression.
   *
   * @param metrics each MetricStat query's series, by id (a missing one reads as empty)
   * @param grids the grid of each expression (FILL, scalar results), by expression id
   * @return every query's value by id, MetricStat ones included; throws {@link MathException}
   *     naming the failing query ({@link MathException#queryId()})
   */
  public Map<String, Value> evaluate(
      Map<String, TimeSeries> metrics, Function<String, Grid> grids) {
    Map<String, Value> values = new LinkedHashMap<>();
    List<TimeSeries> all = new ArrayList<>();
    for (String id : metricIds) {
      TimeSeries series = metrics.getOrDefault(id, TimeSeries.of(id, id, Map.of()));
      values.put(id, new Value.Series(series));
      all.add(series);
    }
    List<TimeSeries> allMetrics = List.copyOf(all);
    for (var entry : expressions.entrySet()) {
      String id = entry.getKey();
      Grid grid = grids.apply(id);
      Evaluator.Context context =
          new Evaluator.Context() {
            @Override
            public Value resolve(String ref, int position) {
              Value value = values.get(ref);
              if (value == null) {
                throw new MathException("unknown id '" + ref + "'", position);
              }
              return value;
            }

            @Override
            public List<TimeSeries> metrics() {
              return allMetrics;
            }

            @Override
            public Grid grid() {
              return grid;
            }
          };
      try {
        values.put(id, Evaluator.evaluate(entry.getValue(), context));
      } catch (MathException e) {
        throw e.in(id);
      }
    }
    return values;
  }
}
