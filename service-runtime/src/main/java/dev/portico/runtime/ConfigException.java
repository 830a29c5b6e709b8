package dev.portico.runtime;

/** A configuration value that cannot be used; the message names the variable. Stops start-up. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
