package dev.portico.alarm.eval;

import java.util.Map;
import java.util.Set;

/**
 * A composite alarm's rule: {@code ALARM(a)}, {@code OK(a)}, {@code INSUFFICIENT_DATA(a)}, {@code
 * TRUE}, {@code FALSE}, combined with NOT, AND, OR. An alarm the composite knows no state of
 * matches none of the three functions.
 */
public sealed interface Rule {
  boolean matches(Map<String, String> states);

  /** Adds every alarm name the rule mentions. */
  void collectNames(Set<String> names);

  record Constant(boolean value) implements Rule {
    @Override
    public boolean matches(Map<String, String> states) {
      return value;
    }

    @Override
    public void collectNames(Set<String> names) {}
  }

  /** {@code ALARM(name)}: the named alarm is in {@code state}. */
  record InState(String state, String alarmName) implements Rule {
    @Override
    public boolean matches(Map<String, String> states) {
      return state.equals(states.get(alarmName));
    }

    @Override
    public void collectNames(Set<String> names) {
      names.add(alarmName);
    }
  }

  record Not(Rule operand) implements Rule {
    @Override
    public boolean matches(Map<String, String> states) {
      return !operand.matches(states);
    }

    @Override
    public void collectNames(Set<String> names) {
      operand.collectNames(names);
    }
  }

  record And(Rule left, Rule right) implements Rule {
    @Override
    public boolean matches(Map<String, String> states) {
      return left.matches(states) && right.matches(states);
    }

    @Override
    public void collectNames(Set<String> names) {
      left.collectNames(names);
      right.collectNames(names);
    }
  }

  record Or(Rule left, Rule right) implements Rule {
    @Override
    public boolean matches(Map<String, String> states) {
      return left.matches(states) || right.matches(states);
    }

    @Override
    public void collectNames(Set<String> names) {
      left.collectNames(names);
      right.collectNames(names);
    }
  }
}
