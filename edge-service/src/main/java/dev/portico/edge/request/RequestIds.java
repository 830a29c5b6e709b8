package dev.portico.edge.request;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for request ids without the shared lock of {@code UUID.randomUUID()}'s
 * SecureRandom: ids need to be unique, not unpredictable.
 */
public final class RequestIds {
  private RequestIds() {}

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
