package dev.portico.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A replica's stable identity, kept in its state directory: the same process restarted on the same
 * state is the same member of its consumer groups (static membership: it gets its partitions back
 * at once instead of after the session timeout) and the same transactional producer (its
 * predecessor's open transaction is aborted at once instead of after the transaction timeout).
 */
public final class InstanceId {
  static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final String FILE = "instance-id";

  private InstanceId() {}

  /** {@code configured} when set, else the id stored in {@code stateDir} (created once). */
  public static String resolve(String configured, Path stateDir) {
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    Path file = stateDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (VALID.matcher(stored).matches()) {
          return stored;
        }
      }
      Files.createDirectories(stateDir);
      String id = UUID.randomUUID().toString().substring(0, 8);
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the instance id " + file, e);
    }
  }

  /** The {@code PORTICO_*_INSTANCE_ID} variable: empty (use the stored id) or a valid id. */
  public static String read(ConfigReader env, String variable) {
    return env.matching(
        variable, "", Pattern.compile("|" + VALID.pattern()), "1-100 of A-Z a-z 0-9 . _ -");
  }
}
