package dev.portico.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads {@code PORTICO_*} variables with defaults into typed values. Every bad value fails with a
 * {@link ConfigException} naming the variable, what it holds and what was expected. It remembers
 * every name it was asked for, so tests can check that deployment files only set variables some
 * config record reads.
 */
public final class ConfigReader {
  private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");

  private final Map<String, String> env;
  private final Set<String> namesRead = new TreeSet<>();

  public ConfigReader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static ConfigReader fromEnvironment() {
    return new ConfigReader(System.getenv());
  }

  /** Every variable name read so far. */
  public Set<String> namesRead() {
    return Collections.unmodifiableSet(namesRead);
  }

  private String raw(String name) {
    namesRead.add(name);
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Remembers variables that another reader (kafka-kit's, say) reads by name. */
  public void noteRead(java.util.Collection<String> names) {
    namesRead.addAll(names);
  }

  /** Every set variable whose name starts with {@code prefix}, each remembered as read. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(prefix)) {
            namesRead.add(name);
            found.put(name, value);
          }
        });
    return found;
  }

  public String string(String name, String defaultValue) {
    String value = raw(name);
    return value == null ? defaultValue : value;
  }

  /** A string that must match {@code pattern}; {@code expected} says what in words. */
  public String matching(String name, String defaultValue, Pattern pattern, String expected) {
    String value = string(name, defaultValue);
    if (!pattern.matcher(value).matches()) {
      throw invalid(name, value, expected);
    }
    return value;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw invalid(name, value, "an integer from " + min + " to " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, value, "an integer from " + min + " to " + max);
    }
  }

  public int port(String name, int defaultValue) {
    return integer(name, defaultValue, 0, 65535);
  }

  /** Milliseconds, written as a plain integer. */
  public Duration millis(String name, Duration defaultValue, Duration min, Duration max) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    String expected = "milliseconds from " + min.toMillis() + " to " + max.toMillis();
    try {
      Duration parsed = Duration.ofMillis(Long.parseLong(value));
      if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
        throw invalid(name, value, expected);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, value, expected);
    }
  }

  public boolean bool(String name, boolean defaultValue) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw invalid(name, value, "true or false");
    };
  }

  public Path path(String name, String defaultValue) {
    String value = string(name, defaultValue);
    try {
      return Path.of(value);
    } catch (RuntimeException e) {
      throw invalid(name, value, "a file system path");
    }
  }

  /** A comma-separated list of {@code host:port}, as Kafka's {@code bootstrap.servers}. */
  public String hostPorts(String name, String defaultValue) {
    String value = string(name, defaultValue);
    for (String part : value.split(",")) {
      if (!HOST_PORT.matcher(part.trim()).matches()) {
        throw invalid(name, value, "a comma-separated list of host:port");
      }
    }
    return value;
  }

  private static ConfigException invalid(String name, String value, String expected) {
    return new ConfigException(
        "Invalid value for " + name + ": '" + value + "' (expected " + expected + ")");
  }
}
