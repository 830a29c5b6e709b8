package dev.portico.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Applies {@code PORTICO_LOG_LEVEL} (TRACE, DEBUG, INFO, WARN, ERROR; default INFO). */
public final class Logging {
  private static final Pattern LEVEL = Pattern.compile("TRACE|DEBUG|INFO|WARN|ERROR");

  private Logging() {}

  public static void apply(ConfigReader env) {
    String level =
        env.matching("PORTICO_LOG_LEVEL", "INFO", LEVEL, "one of TRACE, DEBUG, INFO, WARN, ERROR");
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(level));
    }
  }
}
