package dev.portico.table.expression;

import java.util.List;
import java.util.stream.Collectors;

/**
 * DynamoDB's rule for the paths of one UpdateExpression or ProjectionExpression: no path may be a
 * prefix of another (they overlap: {@code a} and {@code a.b}, or the same path twice), and no two
 * may use one step both as a map member and as a list element (they conflict: {@code a.b} and
 * {@code a[1]}): no item could satisfy both.
 */
final class PathOverlap {
  private PathOverlap() {}

  static void check(List<Path> paths, Syntax syntax) {
    for (int j = 1; j < paths.size(); j++) {
      for (int i = 0; i < j; i++) {
        check(paths.get(i), paths.get(j), syntax);
      }
    }
  }

  private static void check(Path one, Path two, Syntax syntax) {
    List<Object> a = one.steps();
    List<Object> b = two.steps();
    for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
      if ((a.get(k) instanceof Integer) != (b.get(k) instanceof Integer)) {
        throw syntax.error(
            "Two document paths conflict with each other; must remove or rewrite one of these"
                + " paths; path one: "
                + text(one)
                + ", path two: "
                + text(two));
      }
      if (!a.get(k).equals(b.get(k))) {
        return;
      }
    }
    throw syntax.error(
        "Two document paths overlap with each other; must remove or rewrite one of these paths;"
            + " path one: "
            + text(one)
            + ", path two: "
            + text(two));
  }

  /** DynamoDB's form of a path in these messages: {@code [a, b, [2]]}. */
  static String text(Path path) {
    return path.steps().stream()
        .map(step -> step instanceof Integer ? "[" + step + "]" : (String) step)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
