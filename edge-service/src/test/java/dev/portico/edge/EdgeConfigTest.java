package dev.portico.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.edge.policy.Cidr;
import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {
  @Test
  void shouldTrustNoProxyByDefault() {
    assertTrue(EdgeConfig.read(new ConfigReader(Map.of())).trustedProxies().isEmpty());
  }

  @Test
  void shouldReadTrustedProxiesAsAddressesAndNetworks() {
    EdgeConfig config =
        EdgeConfig.read(
            new ConfigReader(Map.of("PORTICO_EDGE_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1,::1")));
    assertEquals(
        java.util.List.of("10.0.0.0/8", "192.0.2.1", "::1"),
        config.trustedProxies().stream().map(Cidr::text).toList());
  }

  @Test
  void shouldRefuseAHostNameAsATrustedProxy() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                EdgeConfig.read(
                    new ConfigReader(
                        Map.of("PORTICO_EDGE_TRUSTED_PROXIES", "10.0.0.0/8,lb.example"))));
    assertEquals(
        "Invalid value for PORTICO_EDGE_TRUSTED_PROXIES: '10.0.0.0/8,lb.example' (expected"
            + " comma-separated IP addresses or CIDR networks; not an IP address: lb.example)",
        e.getMessage());
  }
}
