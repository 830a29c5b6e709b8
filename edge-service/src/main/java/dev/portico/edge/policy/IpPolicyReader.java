package dev.portico.edge.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code {allow: [cidr...], deny: [cidr...]}}, listing every bad entry. */
public final class IpPolicyReader {
  private IpPolicyReader() {}

  public static IpPolicy read(JsonNode node, String where, List<String> problems) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return IpPolicy.OPEN;
    }
    if (!node.isObject()) {
      problems.add(where + ": must be an object {allow, deny}");
      return IpPolicy.OPEN;
    }
    return new IpPolicy(
        cidrs(node.path("allow"), where + ".allow", problems),
        cidrs(node.path("deny"), where + ".deny", problems));
  }

  private static List<Cidr> cidrs(JsonNode node, String where, List<String> problems) {
    List<Cidr> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(where + ": must be a list of CIDR blocks");
      return out;
    }
    for (JsonNode entry : node) {
      try {
        out.add(Cidr.parse(entry.asText()));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    return out;
  }
}
