package dev.portico.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void neverHandsOutAPortTwice() {
    // 2,000 draws from the kernel's ~28,000 ephemeral ports repeat some port almost surely (the
    // birthday bound): the kernel alone does not keep two listeners of one broker apart.
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      ports.add(FreePorts.next());
    }
    assertEquals(2_000, ports.size());
  }

  @Test
  void aPortForRebindingLiesBelowTheEphemeralRangeAndIsFree() throws Exception {
    int port = FreePorts.forRebinding();
    assertTrue(port < FreePorts.ephemeralRangeStart(), port + " outside the ephemeral range");
    try (var socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    }
    assertNotEquals(port, FreePorts.forRebinding(), "never handed out twice");
  }
}
