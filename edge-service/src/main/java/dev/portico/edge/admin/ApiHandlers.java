package dev.portico.edge.admin;

import dev.portico.contracts.Json;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.ApiExporter;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.api.OpenApiReader;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apis}: import a document (POST names the API after its title and refuses an existing one,
 * PUT replaces), list, read, delete and export. An API is shown as its summary: id, name, import
 * time, warnings and the routes it declares; the document itself only through the export.
 */
final class ApiHandlers {
  private final GatewayAdmin admin;
  private final OpenApiReader reader;

  ApiHandlers(GatewayAdmin admin, OpenApiReader reader) {
    this.admin = admin;
    this.reader = reader;
  }

  List<Map<String, Object>> list(AdminRequest request) {
    return admin.config().apis().values().stream()
        .sorted(Comparator.comparing(ApiRecord::id))
        .map(this::view)
        .toList();
  }

  Map<String, Object> create(AdminRequest request) {
    return view(admin.importApi(request.query("id"), request.body().document(), false));
  }

  Map<String, Object> replace(AdminRequest request) {
    return view(admin.importApi(request.path("api"), request.body().document(), true));
  }

  Map<String, Object> get(AdminRequest request) {
    return view(admin.api(request.path("api")));
  }

  void delete(AdminRequest request) {
    admin.deleteApi(request.path("api"));
  }

  /**
   * The stored document, as YAML or JSON ({@code ?format=}, else the {@code Accept} header), with
   * or without Portico's extensions ({@code ?extensions=false}).
   */
  AdminReplies.Text export(AdminRequest request) {
    String extensions = request.query("extensions");
    ApiExporter.Format format =
        format(request.query("format"), extensions, request.header("accept"));
    String document = admin.export(request.path("api"), !"false".equals(extensions), format);
    return new AdminReplies.Text(
        format == ApiExporter.Format.JSON ? "application/json" : "application/yaml", document);
  }

  static ApiExporter.Format format(String format, String extensions, String accept) {
    if ((format != null && !format.equals("yaml") && !format.equals("json"))
        || (extensions != null && !extensions.equals("true") && !extensions.equals("false"))) {
      throw AdminException.invalid(List.of("format: yaml or json; extensions: true or false"));
    }
    return "json".equals(format) || (format == null && accept != null && accept.contains("json"))
        ? ApiExporter.Format.JSON
        : ApiExporter.Format.YAML;
  }

  Map<String, Object> view(ApiRecord api) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", api.id());
    out.put("name", api.name());
    out.put("importedAt", api.importedAt());
    out.put("warnings", api.warnings());
    ApiDefinition definition;
    try {
      definition = reader.read(Json.MAPPER.readTree(api.document()));
    } catch (IOException | InvalidApiException e) {
      throw new IllegalStateException("stored API " + api.id() + " unreadable", e);
    }
    out.put(
        "routes",
        definition.routes().stream()
            .map(
                r ->
                    Map.of(
                        "routeKey", r.routeKey(),
                        "integration", r.integration().type(),
                        "target", r.integration().target()))
            .toList());
    return out;
  }
}
