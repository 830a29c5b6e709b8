package dev.portico.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance of a Portico process: on Linux's epoll where the machine has it (Netty's
 * native transport, bundled for x86-64 and ARM64), on {@code java.nio} elsewhere. On the 2-core
 * benchmark machine epoll took the gateway's CPU per request on the http route from 86-106 µs to 80
 * µs (BENCHMARKS.md): fewer system calls per request, and no selector wake-ups.
 */
public final class PorticoVertx {
  private static final Logger LOG = LoggerFactory.getLogger(PorticoVertx.class);

  private PorticoVertx() {}

  /** A Vert.x instance with the default options, on the native transport where there is one. */
  public static Vertx create() {
    return create(new VertxOptions());
  }

  /** A Vert.x instance with {@code options}, on the native transport where there is one. */
  public static Vertx create(VertxOptions options) {
    Vertx vertx = Vertx.vertx(new VertxOptions(options).setPreferNativeTransport(true));
    if (vertx.isNativeTransportEnabled()) {
      LOG.debug("Vert.x runs on the native transport");
    } else {
      LOG.info(
          "Vert.x runs on java.nio: the native transport is unavailable here ({})",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return vertx;
  }
}
