package dev.portico.edge.admin;

import dev.portico.contracts.edge.DeploymentRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apis/{api}/deployments}: snapshot the API's current document (optionally pointing a stage
 * at it), list an API's deployments, read one. A deployment is shown without its document.
 */
final class DeploymentHandlers {
  private final GatewayAdmin admin;

  DeploymentHandlers(GatewayAdmin admin) {
    this.admin = admin;
  }

  /** Body (optional): {@code {"description", "stage"}}. */
  Map<String, Object> create(AdminRequest request) {
    JsonFields body = request.body().objectOrEmpty();
    return view(admin.deploy(request.path("api"), body.text("description"), body.text("stage")));
  }

  List<Map<String, Object>> list(AdminRequest request) {
    String api = request.path("api");
    admin.api(api);
    return admin.config().deploymentsOf(api).stream().map(DeploymentHandlers::view).toList();
  }

  Map<String, Object> get(AdminRequest request) {
    return view(admin.deployment(request.path("api"), request.path("deployment")));
  }

  static Map<String, Object> view(DeploymentRecord d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", d.id());
    out.put("apiId", d.apiId());
    out.put("createdAt", d.createdAt());
    out.put("description", d.description());
    return out;
  }
}
