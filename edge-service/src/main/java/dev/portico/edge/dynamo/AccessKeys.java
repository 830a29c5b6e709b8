package dev.portico.edge.dynamo;

import java.util.Map;

/**
 * The DynamoDB API's access keys: secret access keys by access key id; none = local mode (any
 * credentials pass). Its text form names the key ids only, so that a logged configuration never
 * shows a secret.
 */
public record AccessKeys(Map<String, String> secretsById) {
  public AccessKeys {
    secretsById = Map.copyOf(secretsById);
  }

  public boolean localMode() {
    return secretsById.isEmpty();
  }

  @Override
  public String toString() {
    return "AccessKeys" + secretsById.keySet();
  }
}
