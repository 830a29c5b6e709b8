package dev.portico.edge.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${stageVariables.name}} in integration targets, and the spec's limits on stage variables:
 * names {@code [A-Za-z0-9_]+}, values {@code [A-Za-z0-9-._~:/?#&=,]+}, at most 100 per stage. A
 * variable the stage does not define becomes the empty string, as in API Gateway.
 */
public final class StageVariables {
  public static final int MAX_PER_STAGE = 100;
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9\\-._~:/?#&=,]+");

  private StageVariables() {}

  public static String substitute(String template, Map<String, String> variables) {
    if (template == null || !template.contains("${stageVariables.")) {
      return template;
    }
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Every way {@code variables} breaks the limits, prefixed with {@code where}; empty if none. */
  public static List<String> problems(String where, Map<String, String> variables) {
    List<String> problems = new ArrayList<>();
    if (variables.size() > MAX_PER_STAGE) {
      problems.add(
          where + ": at most " + MAX_PER_STAGE + " stage variables, got " + variables.size());
    }
    variables.forEach(
        (name, value) -> {
          if (!NAME.matcher(name).matches()) {
            problems.add(where + "." + name + ": a name must match [A-Za-z0-9_]+");
          }
          if (value == null || !VALUE.matcher(value).matches()) {
            problems.add(
                where + "." + name + ": a value must match [A-Za-z0-9-._~:/?#&=,]+, was " + value);
          }
        });
    return problems;
  }
}
