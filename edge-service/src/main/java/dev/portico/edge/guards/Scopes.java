package dev.portico.edge.guards;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The scopes a token's claims grant: {@code scope} (space-separated) and {@code scp} (a list). */
public final class Scopes {
  private Scopes() {}

  public static List<String> of(Map<String, Object> claims) {
    List<String> out = new ArrayList<>();
    if (claims == null) {
      return out;
    }
    if (claims.get("scope") instanceof String scope && !scope.isBlank()) {
      out.addAll(List.of(scope.trim().split("\\s+")));
    }
    Object scp = claims.get("scp");
    if (scp instanceof Collection<?> list) {
      list.forEach(s -> out.add(String.valueOf(s)));
    } else if (scp instanceof String s && !s.isBlank()) {
      out.addAll(List.of(s.trim().split("\\s+")));
    }
    return out;
  }
}
