package dev.portico.edge.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resource path such as {@code /customer/{customer_id}} or {@code /files/{proxy+}}: literal
 * segments, {@code {param}} segments matching one segment, and a greedy {@code {name+}} allowed
 * only as the last segment.
 */
public final class PathTemplate {
  /** Segment kinds in match priority order: a literal beats a parameter beats a greedy one. */
  enum Kind {
    LITERAL,
    PARAM,
    GREEDY
  }

  record Segment(Kind kind, String text) {}

  private final String template;
  private final List<Segment> segments;

  private PathTemplate(String template, List<Segment> segments) {
    this.template = template;
    this.segments = segments;
  }

  public static PathTemplate parse(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a path must start with /");
    }
    List<Segment> segments = new ArrayList<>();
    String[] parts = template.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        if (parts.length == 1) {
          break; // the root path "/"
        }
        throw new IllegalArgumentException("empty path segment");
      }
      if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        boolean greedy = name.endsWith("+");
        if (greedy) {
          name = name.substring(0, name.length() - 1);
          if (i != parts.length - 1) {
            throw new IllegalArgumentException("{" + name + "+} must be the last segment");
          }
        }
        if (!name.matches("[A-Za-z0-9_.-]+")) {
          throw new IllegalArgumentException("bad parameter name '" + name + "'");
        }
        segments.add(new Segment(greedy ? Kind.GREEDY : Kind.PARAM, name));
      } else if (part.contains("{") || part.contains("}")) {
        throw new IllegalArgumentException("a parameter must be a whole segment: '" + part + "'");
      } else {
        segments.add(new Segment(Kind.LITERAL, part));
      }
    }
    return new PathTemplate(template, List.copyOf(segments));
  }

  /** Whether {@code name} is this template's greedy {@code {name+}} parameter. */
  public boolean isGreedy(String name) {
    return segments.stream().anyMatch(s -> s.kind() == Kind.GREEDY && s.text().equals(name));
  }

  public String template() {
    return template;
  }

  List<Segment> segments() {
    return segments;
  }

  /**
   * Matches decoded path segments; fills {@code params} and returns true on a match. A greedy
   * segment takes the rest of the path (at least one segment), joined by {@code /}. The route
   * table's part of matching a request.
   */
  public boolean match(List<String> path, Map<String, String> params) {
    int n = segments.size();
    for (int i = 0; i < n; i++) {
      Segment segment = segments.get(i);
      if (segment.kind() == Kind.GREEDY) {
        if (path.size() <= i) {
          return false;
        }
        params.put(segment.text(), String.join("/", path.subList(i, path.size())));
        return true;
      }
      if (i >= path.size()) {
        return false;
      }
      String actual = path.get(i);
      if (segment.kind() == Kind.LITERAL) {
        if (!segment.text().equals(actual)) {
          return false;
        }
      } else {
        if (actual.isEmpty()) {
          return false;
        }
        params.put(segment.text(), actual);
      }
    }
    return path.size() == n;
  }

  /** Negative when this template is more specific than {@code other} (it wins a tie). */
  public int compareSpecificity(PathTemplate other) {
    int n = Math.min(segments.size(), other.segments.size());
    for (int i = 0; i < n; i++) {
      int c = segments.get(i).kind().compareTo(other.segments.get(i).kind());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(other.segments.size(), segments.size());
  }

  @Override
  public String toString() {
    return template;
  }
}
