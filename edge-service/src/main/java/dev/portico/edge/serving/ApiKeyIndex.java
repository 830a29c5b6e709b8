package dev.portico.edge.serving;

import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * API keys by the SHA-256 of their value (only hashes are stored, so a presented key is hashed and
 * looked up), and the usage plans each key belongs to.
 */
public record ApiKeyIndex(
    Map<String, ApiKeyRecord> byHash, Map<String, List<UsagePlanRecord>> plansByKey) {
  public static final ApiKeyIndex EMPTY = new ApiKeyIndex(Map.of(), Map.of());

  public static ApiKeyIndex of(GatewayConfig config) {
    Map<String, ApiKeyRecord> byHash = new HashMap<>();
    config.apiKeys().values().forEach(k -> byHash.put(k.hash(), k));
    Map<String, List<UsagePlanRecord>> plans = new HashMap<>();
    for (UsagePlanRecord plan : config.usagePlans().values()) {
      for (String keyId : plan.keyIds()) {
        plans.computeIfAbsent(keyId, k -> new java.util.ArrayList<>()).add(plan);
      }
    }
    plans.replaceAll((k, v) -> List.copyOf(v));
    return new ApiKeyIndex(Map.copyOf(byHash), Map.copyOf(plans));
  }

  public ApiKeyRecord find(String presentedValue) {
    return byHash.get(sha256(presentedValue));
  }

  /** The plan that gives {@code keyId} access to the API stage, or {@code null}. */
  public UsagePlanRecord plan(String keyId, String apiId, String stage) {
    for (UsagePlanRecord plan : plansByKey.getOrDefault(keyId, List.of())) {
      if (plan.covers(apiId, stage)) {
        return plan;
      }
    }
    return null;
  }

  public static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
