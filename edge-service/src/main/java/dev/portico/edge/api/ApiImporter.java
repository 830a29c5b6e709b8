package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports an OpenAPI 3 document: operations with {@code x-portico-integration} are taken as they
 * are, operations with only {@code x-amazon-apigateway-integration} are translated ({@link
 * AwsIntegrations}), and whatever cannot be mapped is reported as a warning (an operation without
 * any usable integration is left out). The result is the normalized document that deployments
 * snapshot; it is then read like any Portico document, so every problem is reported at once.
 */
public final class ApiImporter {
  /**
   * The root key API Gateway puts on an HTTP API export and never on a REST API export: it tells
   * which payload format the document's Lambda functions expect by default.
   */
  static final String HTTP_API_EXPORT_MARKER = "x-amazon-apigateway-importexport-version";

  private final OpenApiReader reader;

  public ApiImporter(OpenApiReader reader) {
    this.reader = reader;
  }

  /** The imported API: normalized document, definition, and what could not be mapped. */
  public record Imported(ObjectNode document, ApiDefinition definition, List<String> warnings) {}

  public Imported importDocument(byte[] bytes) {
    ObjectNode root = (ObjectNode) OpenApiReader.parse(bytes);
    List<String> warnings = new ArrayList<>();
    AwsAuthorizers.translate(root, warnings);
    reportUnmappedAwsExtensions(root, "", warnings);
    boolean restApi = !root.has(HTTP_API_EXPORT_MARKER);
    JsonNode paths = root.path("paths");
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().properties().iterator();
      while (ops.hasNext()) {
        Map.Entry<String, JsonNode> op = ops.next();
        String method = op.getKey().toLowerCase(Locale.ROOT);
        if (!OpenApiReader.METHODS.contains(method) && !method.equals(OpenApiReader.ANY_METHOD)) {
          continue;
        }
        String where = "paths." + path.getKey() + "." + op.getKey();
        JsonNode operation = op.getValue();
        if (operation.has(OpenApiReader.EXTENSION) || !operation.has(AwsIntegrations.EXTENSION)) {
          continue;
        }
        dropAwsAuthorizers(root, (ObjectNode) operation, where, warnings);
        AwsIntegrations.Translation t =
            AwsIntegrations.translate(operation.get(AwsIntegrations.EXTENSION), restApi);
        if (t.integration() == null) {
          warnings.add(where + ": skipped, " + t.unmappable());
          ops.remove();
        } else {
          ((ObjectNode) operation).set(OpenApiReader.EXTENSION, t.integration());
          t.notes().forEach(note -> warnings.add(where + ": " + note));
        }
      }
    }
    // Paths whose every operation was skipped would otherwise read as "no operations".
    if (paths instanceof ObjectNode p) {
      p.properties().removeIf(e -> e.getValue().isObject() && !hasOperation(e.getValue()));
    }
    return new Imported(root, reader.read(root), List.copyOf(warnings));
  }

  /**
   * Every {@code x-amazon-apigateway-*} key Portico does not act on (authorizers, gateway
   * responses, binary media types, validators, policies...), wherever it is; the integration and
   * the ANY method are handled above.
   */
  private static void reportUnmappedAwsExtensions(
      JsonNode node, String where, List<String> warnings) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        reportUnmappedAwsExtensions(node.get(i), where + "[" + i + "]", warnings);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      String path = where.isEmpty() ? key : where + "." + key;
      if (key.equals(AwsIntegrations.EXTENSION) || key.equals(HTTP_API_EXPORT_MARKER)) {
        continue;
      }
      if (AwsAuthorizers.isTranslated(node) && AwsAuthorizers.KEYS.contains(key)) {
        continue; // the scheme's x-portico-authorizer acts on it
      }
      if (key.startsWith("x-amazon-apigateway-") && !key.equals(OpenApiReader.ANY_METHOD)) {
        warnings.add(path + ": not mapped, ignored");
      } else {
        reportUnmappedAwsExtensions(e.getValue(), path, warnings);
      }
    }
  }

  /**
   * An AWS authorizer Portico could not translate (a TOKEN or Cognito authorizer, a JWT one) has no
   * equivalent: its requirement is removed from the translated operation, which is then served
   * WITHOUT that authorization; the warning says so, so that a JWT authorizer or an authorizer
   * function can be put in its place before the API is deployed.
   */
  private static void dropAwsAuthorizers(
      JsonNode root, ObjectNode operation, String where, List<String> warnings) {
    JsonNode security = operation.get("security");
    if (security == null || !security.isArray()) {
      return;
    }
    JsonNode schemes = root.path("components").path("securitySchemes");
    for (JsonNode requirement : security) {
      if (requirement instanceof ObjectNode r) {
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
          JsonNode scheme = schemes.path(name);
          if ((scheme.has(AwsAuthorizers.EXTENSION) || scheme.has("x-amazon-apigateway-authtype"))
              && !scheme.has(SecurityReader.AUTHORIZER)) {
            r.remove(name);
            warnings.add(
                where
                    + ": authorizer "
                    + name
                    + " not mapped; the route is imported WITHOUT it (add an x-portico-authorizer)");
          }
        }
      }
    }
    ArrayNode kept = operation.arrayNode();
    security.forEach(
        r -> {
          if (!r.isEmpty()) {
            kept.add(r);
          }
        });
    if (kept.isEmpty()) {
      operation.remove("security");
    } else {
      operation.set("security", kept);
    }
  }

  private static boolean hasOperation(JsonNode pathItem) {
    for (Map.Entry<String, JsonNode> op : pathItem.properties()) {
      String method = op.getKey().toLowerCase(Locale.ROOT);
      if (OpenApiReader.METHODS.contains(method) || method.equals(OpenApiReader.ANY_METHOD)) {
        return true;
      }
    }
    return false;
  }
}
