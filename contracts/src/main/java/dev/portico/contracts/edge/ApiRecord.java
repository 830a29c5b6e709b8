package dev.portico.contracts.edge;

import java.util.List;

/**
 * An imported API: its normalized OpenAPI document (JSON text, Portico extensions on every
 * operation) and what the import could not map. Deployments snapshot {@code document}.
 */
public record ApiRecord(
    String id, String name, String document, String importedAt, List<String> warnings)
    implements GatewayEntity {
  public ApiRecord {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
