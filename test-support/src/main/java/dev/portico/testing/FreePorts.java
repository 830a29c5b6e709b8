package dev.portico.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers a test starts. A port is found by binding to port 0 and closing
 * the socket, so the kernel may hand the same port out again at once: a broker with two listeners
 * once got one port for both ("If you have two listeners on the same port..."). Hence no port is
 * handed out twice in one JVM.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int ATTEMPTS = 100;

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = unusedPort();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no port the kernel offered in " + ATTEMPTS + " attempts was new to this JVM");
  }

  /**
   * A free port below the kernel's ephemeral range, for a server a test stops and starts again on
   * the same port (an SMTP server across a crash of its client). A port from {@link #next()} lies
   * in that range: between the stop and the new bind, any outgoing connection of the machine may
   * get it as its local port, and the bind fails ("Address already in use"). No outgoing connection
   * takes a port outside the range. Falls back to {@link #next()} when the range starts too low.
   */
  public static int forRebinding() {
    int low = 10_000;
    int high = ephemeralRangeStart() - 1;
    if (high - low < 1_000) {
      return next();
    }
    int span = high - low + 1;
    int offset = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = low + (offset + i) % span;
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + low + " and " + high);
  }

  /** The first port of Linux's ephemeral range ({@code ip_local_port_range}), 32768 elsewhere. */
  static int ephemeralRangeStart() {
    try {
      // by lines: Files.readString stops after the first bytes of this /proc file ("3")
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
