package dev.portico.edge.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128. Parsing never touches DNS: only literal addresses are accepted.
 */
public record Cidr(byte[] network, int prefixLength, String text) {

  public static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literal(address);
    int max = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? max : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prefix length in " + text);
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix length of " + text + " must be 0 to " + max);
    }
    return new Cidr(bytes, prefix, trimmed);
  }

  /** Whether {@code address} (a literal IP) is inside this network; other families never are. */
  public boolean contains(String address) {
    byte[] candidate;
    try {
      candidate = literal(address);
    } catch (IllegalArgumentException e) {
      return false;
    }
    candidate = unmapIpv4(candidate);
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  private static byte[] literal(String address) {
    String a =
        address.startsWith("[") && address.endsWith("]")
            ? address.substring(1, address.length() - 1)
            : address;
    boolean looksLiteral = a.indexOf(':') >= 0 || a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!looksLiteral || a.isEmpty()) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
  }

  /** {@code ::ffff:10.1.2.3} is the IPv4 address 10.1.2.3 (dual-stack sockets report it so). */
  private static byte[] unmapIpv4(byte[] bytes) {
    if (bytes.length != 16) {
      return bytes;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return bytes;
      }
    }
    if (bytes[10] != (byte) 0xFF || bytes[11] != (byte) 0xFF) {
      return bytes;
    }
    return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
  }
}
