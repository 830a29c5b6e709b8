package dev.portico.alarm.rest;

import java.util.regex.Pattern;

/** The name rules of alarms and notification topics, and the limits that go with them. */
final class Names {
  /** SNS topic names: 1-256 of letters, digits, hyphens and underscores. */
  static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  static final int MAX_ALARM_NAME = 255;
  static final int MAX_DESCRIPTION = 1024;
  static final int MAX_ACTIONS = 5;
  static final int MAX_BATCH = 100;

  private Names() {}

  /** Null when the alarm name is acceptable, else why not. */
  static String alarmNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "AlarmName is required";
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_ALARM_NAME) {
      return "AlarmName must be 1-255 characters long (got " + length + ")";
    }
    if (CONTROL.matcher(name).find()) {
      return "AlarmName must not contain control characters";
    }
    return null;
  }

  static String topicNameProblem(String label, String name) {
    if (name == null || !TOPIC.matcher(name).matches()) {
      return label
          + " must be a topic name: 1-256 of letters, digits, hyphens and underscores (got "
          + (name == null ? "nothing" : "'" + shorten(name) + "'")
          + ")";
    }
    return null;
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
