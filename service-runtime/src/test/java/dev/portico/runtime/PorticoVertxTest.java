package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Portico runs Vert.x on epoll where it can: the bundled native library loads. */
class PorticoVertxTest {
  @Test
  @EnabledOnOs(
      value = OS.LINUX,
      architectures = {"amd64", "aarch64"})
  void shouldRunOnEpollOnLinuxWithTheGivenOptions() {
    Vertx vertx = PorticoVertx.create(new VertxOptions().setEventLoopPoolSize(3));
    try {
      assertTrue(
          vertx.isNativeTransportEnabled(),
          () -> "native transport unavailable: " + vertx.unavailableNativeTransportCause());
      int loops = 0;
      for (var loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
        loops++;
      }
      assertEquals(3, loops, "the options given are kept");
    } finally {
      vertx.close().await();
    }
  }
}
