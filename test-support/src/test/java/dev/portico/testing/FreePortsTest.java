package dev.portico.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
