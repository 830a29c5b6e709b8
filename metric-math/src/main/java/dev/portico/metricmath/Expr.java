package dev.portico.metricmath;

import java.util.List;
import java.util.Set;

/**
 * A parsed metric-math expression. Every node knows its 1-based position in the text, so evaluation
 * errors point at the right place.
 */
public sealed interface Expr {
  int position();

  /** Adds the ids of other queries this expression reads (not the ones METRICS() stands for). */
  default void collectIds(Set<String> ids) {}

  /** Whether METRICS() appears in it (it then reads every MetricStat query, or a filtered set). */
  default boolean usesMetrics() {
    return false;
  }

  /** A number literal. */
  record Number(double value, int position) implements Expr {}

  /** A string literal: only METRICS('filter') takes one. */
  record Text(String value, int position) implements Expr {}

  /** {@code REPEAT} or {@code LINEAR}: only FILL's second argument takes one. */
  record Keyword(String name, int position) implements Expr {}

  /** The id of another query: its time series (or whatever its expression returns). */
  record Ref(String id, int position) implements Expr {
    @Override
    public void collectIds(Set<String> ids) {
      ids.add(id);
    }
  }

  /** {@code -x} or {@code NOT x} ({@code !x}). */
  record Unary(String op, Expr operand, int position) implements Expr {
    @Override
    public void collectIds(Set<String> ids) {
      operand.collectIds(ids);
    }

    @Override
    public boolean usesMetrics() {
      return operand.usesMetrics();
    }
  }

  /** {@code + - * / ^}, comparisons {@code < <= > >= == !=} and {@code AND}, {@code OR}. */
  record Binary(String op, Expr left, Expr right, int position) implements Expr {
    @Override
    public void collectIds(Set<String> ids) {
      left.collectIds(ids);
      right.collectIds(ids);
    }

    @Override
    public boolean usesMetrics() {
      return left.usesMetrics() || right.usesMetrics();
    }
  }

  /** A function call; {@code name} upper-cased. */
  record Call(String name, List<Expr> args, int position) implements Expr {
    @Override
    public void collectIds(Set<String> ids) {
      args.forEach(a -> a.collectIds(ids));
    }

    @Override
    public boolean usesMetrics() {
      return name.equals("METRICS") || args.stream().anyMatch(Expr::usesMetrics);
    }
  }

  /** {@code [m1, m2]}: an array of time series. */
  record Array(List<Expr> items, int position) implements Expr {
    @Override
    public void collectIds(Set<String> ids) {
      items.forEach(a -> a.collectIds(ids));
    }

    @Override
    public boolean usesMetrics() {
      return items.stream().anyMatch(Expr::usesMetrics);
    }
  }
}
