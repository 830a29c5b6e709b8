package dev.portico.edge.policy;

import java.util.List;

/**
 * A resource policy on source addresses: a request is refused when its address is in a {@code deny}
 * network, or when {@code allow} is not empty and the address is in none of its networks. Deny wins
 * over allow, as in API Gateway resource policies.
 */
public record IpPolicy(List<Cidr> allow, List<Cidr> deny) {
  public static final IpPolicy OPEN = new IpPolicy(List.of(), List.of());

  public IpPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public boolean permits(String address) {
    if (address == null) {
      return allow.isEmpty() && deny.isEmpty();
    }
    if (deny.stream().anyMatch(c -> c.contains(address))) {
      return false;
    }
    return allow.isEmpty() || allow.stream().anyMatch(c -> c.contains(address));
  }

  public boolean isOpen() {
    return allow.isEmpty() && deny.isEmpty();
  }
}
