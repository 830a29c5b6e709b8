package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.MetricUnits;
import dev.portico.contracts.StatisticName;
import dev.portico.contracts.alarms.Dimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How an alarm request names a metric, in a metric alarm's own fields or a metric-math alarm's
 * MetricStat: statistics, units, periods and dimensions, with CloudWatch's limits.
 */
final class MetricFields {
  static final Set<String> STATISTICS =
      Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

  static final Set<String> UNITS = MetricUnits.ALL;

  private MetricFields() {}

  static boolean isPeriod(int period) {
    return period == 1 || period == 5 || period == 10 || period == 30 || period % 60 == 0;
  }

  static boolean percentile(String s) {
    return StatisticName.isPercentile(s);
  }

  /** {@code [{"Name", "Value"}, ...]} at {@code field}, sorted by name. */
  static List<Dimension> dimensions(JsonNode raw, String field, Problems problems) {
    if (raw == null || raw.isNull()) {
      return List.of();
    }
    if (!raw.isArray()) {
      problems.add(field + " must be an array of {Name, Value}");
      return List.of();
    }
    if (raw.size() > 30) {
      problems.add(field + " may have at most 30 items (got " + raw.size() + ")");
      return List.of();
    }
    List<Dimension> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonNode d = raw.get(i);
      String label = field + "[" + i + "]";
      if (!d.isObject() || !d.path("Name").isTextual() || !d.path("Value").isTextual()) {
        problems.add(label + " must be an object with string Name and Value");
        continue;
      }
      if (d.size() != 2) {
        problems.add(label + " must have only Name and Value");
        continue;
      }
      String dname = d.get("Name").asText();
      String dvalue = d.get("Value").asText();
      boolean ok =
          check(problems, label + ".Name", dname, 255)
              & check(problems, label + ".Value", dvalue, 1024);
      if (ok && !seen.add(dname)) {
        problems.add(label + ".Name repeats " + dname);
        ok = false;
      }
      if (ok) {
        out.add(new Dimension(dname, dvalue));
      }
    }
    out.sort(Comparator.comparing(Dimension::name));
    return List.copyOf(out);
  }

  private static boolean check(Problems problems, String label, String s, int max) {
    int length = s.codePointCount(0, s.length());
    if (length < 1 || length > max) {
      problems.add(label + " must be 1-" + max + " characters long (got " + length + ")");
      return false;
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      problems.add(label + " must not contain control characters");
      return false;
    }
    return true;
  }
}
