package dev.portico.alarm.eval;

import java.util.Locale;

/**
 * Recursive-descent parser of composite alarm rules. NOT binds tighter than AND, which binds
 * tighter than OR; keywords are case-insensitive; an alarm name is written bare ({@code
 * ALARM(cpu-high)}) or in double quotes ({@code ALARM("name (with parentheses)")}).
 *
 * <pre>
 * rule    := or
 * or      := and (OR and)*
 * and     := not (AND not)*
 * not     := NOT not | primary
 * primary := ( rule ) | TRUE | FALSE | (ALARM | OK | INSUFFICIENT_DATA) ( name )
 * </pre>
 */
public final class RuleParser {
  private final String text;
  private int pos;

  private RuleParser(String text) {
    this.text = text;
  }

  public static Rule parse(String text) throws RuleSyntaxException {
    RuleParser parser = new RuleParser(text);
    Rule rule = parser.or();
    parser.skipSpace();
    if (parser.pos < text.length()) {
      throw parser.error("unexpected '" + text.charAt(parser.pos) + "'");
    }
    return rule;
  }

  private Rule or() throws RuleSyntaxException {
    Rule left = and();
    while (keyword("OR")) {
      left = new Rule.Or(left, and());
    }
    return left;
  }

  private Rule and() throws RuleSyntaxException {
    Rule left = not();
    while (keyword("AND")) {
      left = new Rule.And(left, not());
    }
    return left;
  }

  private Rule not() throws RuleSyntaxException {
    if (keyword("NOT")) {
      return new Rule.Not(not());
    }
    return primary();
  }

  private Rule primary() throws RuleSyntaxException {
    skipSpace();
    if (pos >= text.length()) {
      throw error("the rule ends where a condition is expected");
    }
    if (text.charAt(pos) == '(') {
      pos++;
      Rule inner = or();
      expect(')');
      return inner;
    }
    if (keyword("TRUE")) {
      return new Rule.Constant(true);
    }
    if (keyword("FALSE")) {
      return new Rule.Constant(false);
    }
    for (String state : new String[] {"INSUFFICIENT_DATA", "ALARM", "OK"}) {
      if (keyword(state)) {
        expect('(');
        String name = alarmName();
        expect(')');
        return new Rule.InState(state, name);
      }
    }
    throw error("expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('");
  }

  private String alarmName() throws RuleSyntaxException {
    skipSpace();
    int start = pos;
    String name;
    if (pos < text.length() && text.charAt(pos) == '"') {
      int close = text.indexOf('"', pos + 1);
      if (close < 0) {
        throw error("unterminated quoted alarm name");
      }
      name = text.substring(pos + 1, close);
      pos = close + 1;
    } else {
      int close = text.indexOf(')', pos);
      if (close < 0) {
        throw error("missing ')'");
      }
      name = text.substring(pos, close).trim();
      pos = close;
    }
    if (name.isEmpty() || name.length() > 255) {
      pos = start;
      throw error("an alarm name must be 1-255 characters");
    }
    return name;
  }

  /** Consumes {@code word} when it comes next as a whole word (case-insensitive). */
  private boolean keyword(String word) {
    skipSpace();
    int end = pos + word.length();
    if (end > text.length()
        || !text.substring(pos, end).toUpperCase(Locale.ROOT).equals(word)
        || (end < text.length() && isWordChar(text.charAt(end)))) {
      return false;
    }
    pos = end;
    return true;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private void expect(char c) throws RuleSyntaxException {
    skipSpace();
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private RuleSyntaxException error(String what) {
    return new RuleSyntaxException("AlarmRule: " + what + " at position " + (pos + 1));
  }
}
