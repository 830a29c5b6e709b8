package dev.portico.edge.config;

import java.util.List;

/**
 * An imported API: its normalized OpenAPI document (JSON text, Portico extensions on every
 * operation) and what the import could not map. Deployments snapshot {@code document}.
 */
public record ApiRecord(
    String id, String name, String document, String importedAt, List<String> warnings) {
  public ApiRecord {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
