package dev.portico.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this object is open.
 *
 * <p>A port taken from a closed {@code ServerSocket(0)} is only free: any server started later
 * (another test's, the broker's) may be handed it and answer. This socket stays bound without
 * listening, so the kernel gives the port to nobody else and answers every connection attempt with
 * a reset.
 */
public final class RefusingPort implements AutoCloseable {
  private final Socket socket = new Socket();

  public RefusingPort() {
    try {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
