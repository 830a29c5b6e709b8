package dev.portico.edge.websocket;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Connection ids: 16 URL-safe characters that carry the number of the edge replica holding the
 * socket (so any replica knows where to send an {@code @connections} command, and that a dead
 * replica's connections are gone) and 80 random bits (so ids cannot be guessed).
 */
public final class ConnectionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private ConnectionIds() {}

  public static String next(int instance) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return ENCODER.encodeToString(
        ByteBuffer.allocate(12).putShort((short) instance).put(random).array());
  }

  /** The replica that holds {@code id}, or -1 when it is not a connection id. */
  public static int owner(String id) {
    if (id == null || id.length() != 16) {
      return -1;
    }
    try {
      return Short.toUnsignedInt(ByteBuffer.wrap(Base64.getUrlDecoder().decode(id)).getShort());
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
