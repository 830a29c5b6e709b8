package dev.portico.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @ParameterizedTest(name = "{1} in {0}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.0/25, 192.168.1.127, true",
    "192.168.1.0/25, 192.168.1.128, false",
    "203.0.113.7, 203.0.113.7, true",
    "203.0.113.7, 203.0.113.8, false",
    "0.0.0.0/0, 1.2.3.4, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1, ::1, true",
    "::/0, fe80::1, true",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "10.0.0.0/8, 2001:db8::1, false",
    "2001:db8::/32, 10.0.0.1, false",
    "10.0.0.0/8, not-an-ip, false"
  })
  void shouldMatchAddressesInsideTheNetworkOnly(String cidr, String address, boolean inside) {
    assertEquals(inside, Cidr.parse(cidr).contains(address));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "::/129", "example.com", "10.0.0/8", "1.2.3.4/x", ""})
  void shouldRejectWhatIsNotALiteralNetwork(String text) {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
  }

  @org.junit.jupiter.api.Test
  void shouldLetDenyWinOverAllow() {
    IpPolicy policy =
        new IpPolicy(List.of(Cidr.parse("10.0.0.0/8")), List.of(Cidr.parse("10.1.0.0/16")));
    assertTrue(policy.permits("10.2.0.1"));
    assertFalse(policy.permits("10.1.0.1"));
    assertFalse(policy.permits("192.0.2.1"));
    assertTrue(IpPolicy.OPEN.permits("192.0.2.1"));
  }
}
