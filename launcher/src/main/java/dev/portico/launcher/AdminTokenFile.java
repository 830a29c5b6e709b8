package dev.portico.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local suite's admin token when {@code PORTICO_EDGE_ADMIN_TOKEN} is not set: 32 random bytes
 * kept in {@code <data dir>/admin-token} (owner read/write only), so the admin API is on and its
 * token survives restarts without ever being printed.
 */
final class AdminTokenFile {
  static final String NAME = "admin-token";

  private AdminTokenFile() {}

  static String readOrCreate(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(dataDir);
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      String token = HexFormat.of().formatHex(secret);
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the data directory's own permissions apply.
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the admin token " + file, e);
    }
  }
}
