package dev.portico.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands a Markdown document prints, as the docs harness ({@link DocsCommandsIT}) runs
 * them: every fenced block whose info string is {@code sh}, {@code bash} or {@code shell}, split
 * into steps at expected-output lines.
 *
 * <p>The conventions, for whoever writes docs:
 *
 * <ul>
 *   <li>A block that cannot run here (it needs a Docker engine, or it is the build itself) has
 *       {@code <!-- not-run: the reason -->} on the line right before its fence; the reason is
 *       required. Readers do not see the comment.
 *   <li>{@code # => a ... b} on its own line states what the commands since the previous such line
 *       (or the block's start) print: their output (stdout and stderr) must contain {@code a}, then
 *       {@code b}, compared case-insensitively with runs of white space as one space. Write only
 *       what is stable (a status line, a field), and {@code ...} for the rest.
 *   <li>Any other comment is for readers only.
 * </ul>
 */
record DocCommands(String document, List<Block> blocks) {
  private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_-]*).*$");
  private static final Pattern NOT_RUN = Pattern.compile("^<!--\\s*not-run:\\s*(\\S.*?)\\s*-->$");
  private static final Pattern EXPECT = Pattern.compile("^\\s*# =>\\s*(.+)$");
  private static final List<String> SHELL = List.of("sh", "bash", "shell");

  /** A shell block: where it starts, and its steps; {@code notRun} is the reason, or null. */
  record Block(int line, String notRun, List<Step> steps) {}

  /** Commands, and the fragments their output must contain in order (none: only the status). */
  record Step(int line, String script, List<String> expected) {}

  static DocCommands parse(String document, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).startsWith("```")) {
        end++;
      }
      String language = fence.group(1).toLowerCase(Locale.ROOT);
      if (SHELL.contains(language)) {
        blocks.add(
            new Block(i + 1, notRunReason(lines, i), steps(lines.subList(i + 1, end), i + 2)));
      }
      i = end;
    }
    return new DocCommands(document, List.copyOf(blocks));
  }

  private static String notRunReason(List<String> lines, int fence) {
    int previous = fence - 1;
    while (previous >= 0 && lines.get(previous).isBlank()) {
      previous--;
    }
    if (previous < 0) {
      return null;
    }
    Matcher notRun = NOT_RUN.matcher(lines.get(previous).trim());
    return notRun.matches() ? notRun.group(1) : null;
  }

  private static List<Step> steps(List<String> body, int firstLine) {
    List<Step> steps = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    int start = firstLine;
    for (int i = 0; i < body.size(); i++) {
      Matcher expect = EXPECT.matcher(body.get(i));
      if (expect.matches()) {
        if (!hasCommand(script.toString())) {
          throw new IllegalArgumentException(
              "line " + (firstLine + i) + ": an expected output with no command above it");
        }
        steps.add(new Step(start, script.toString(), fragments(expect.group(1))));
        script.setLength(0);
        start = firstLine + i + 1;
      } else {
        script.append(body.get(i)).append('\n');
      }
    }
    if (hasCommand(script.toString())) {
      steps.add(new Step(start, script.toString(), List.of()));
    }
    return steps;
  }

  /** Whether a step has anything but comments and blank lines (bash refuses an empty group). */
  private static boolean hasCommand(String script) {
    return script.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("#"));
  }

  private static List<String> fragments(String expectation) {
    List<String> out = new ArrayList<>();
    for (String part : expectation.split("\\.\\.\\.")) {
      String normalized = normalize(part);
      if (!normalized.isEmpty()) {
        out.add(normalized);
      }
    }
    return out;
  }

  static String normalize(String text) {
    return text.replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code output} holds every fragment, in order; returns the first one missing, or null.
   */
  static String missing(String output, List<String> fragments) {
    String text = normalize(output);
    int from = 0;
    for (String fragment : fragments) {
      int at = text.indexOf(fragment, from);
      if (at < 0) {
        return fragment;
      }
      from = at + fragment.length();
    }
    return null;
  }
}
