package dev.portico.alarm.rest;

import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.alarm.view.AlarmsView;
import dev.portico.contracts.alarms.AlarmRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Composite alarms as a graph (a composite points at the alarms its rule names), for the checks a
 * new rule must pass: the alarms it names exist, and it closes no cycle.
 */
final class RuleGraph {
  private final AlarmsView alarms;

  RuleGraph(AlarmsView alarms) {
    this.alarms = alarms;
  }

  /** The alarms a rule names; 400 if it does not parse. */
  static Set<String> names(String rule) {
    try {
      Set<String> names = new HashSet<>();
      RuleParser.parse(rule).collectNames(names);
      return names;
    } catch (RuleSyntaxException e) {
      throw new ApiError(400, e.getMessage());
    }
  }

  /**
   * A path from {@code alarm} back to itself, if giving it a rule that names {@code named} would
   * close one; null otherwise.
   */
  List<String> cycle(String alarm, Set<String> named) {
    for (String start : named) {
      List<String> path = new ArrayList<>(List.of(alarm, start));
      if (reaches(start, alarm, path, new HashSet<>())) {
        return path;
      }
    }
    return null;
  }

  private boolean reaches(String from, String target, List<String> path, Set<String> seen) {
    if (from.equals(target)) {
      return true;
    }
    if (!seen.add(from)) {
      return false;
    }
    AlarmRecord record = alarms.get(from);
    if (record == null || !record.definition().isComposite()) {
      return false;
    }
    for (String next : names(record.definition().alarmRule())) {
      path.add(next);
      if (reaches(next, target, path, seen)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }
}
