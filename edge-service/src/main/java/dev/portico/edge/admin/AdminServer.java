package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.ApiExporter;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.config.ApiKeyRecord;
import dev.portico.edge.config.ApiRecord;
import dev.portico.edge.config.CanarySettings;
import dev.portico.edge.config.DeploymentRecord;
import dev.portico.edge.config.StageSettings;
import dev.portico.edge.config.UsagePlanRecord;
import dev.portico.edge.websocket.Connections;
import dev.portico.runtime.RawBodyHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The admin API: HTTP + JSON over {@link GatewayAdmin}, on its own port. Every route but the
 * OpenAPI document needs the admin token. Bodies are read by {@link RawBodyHandler} whatever their
 * content type; every error, the router's and Netty's included, is JSON from {@link AdminErrors}.
 */
public final class AdminServer {
  private static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  private final Vertx vertx;
  private final GatewayAdmin admin;
  private final PlansAdmin plans;
  private final Connections connections;
  private final OpenApiReader reader;
  private final String token;
  private final String openApiYaml;
  private final String openApiJson;
  private HttpServer server;

  public AdminServer(
      Vertx vertx,
      GatewayAdmin admin,
      PlansAdmin plans,
      Connections connections,
      OpenApiReader reader,
      String token) {
    this.vertx = vertx;
    this.admin = admin;
    this.plans = plans;
    this.connections = connections;
    this.reader = reader;
    this.token = token;
    this.openApiYaml = resource("/admin/openapi.yaml");
    this.openApiJson =
        toJson(OpenApiReader.parse(openApiYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public Future<HttpServer> listen(String host, int port) {
    return vertx
        .createHttpServer()
        .invalidRequestHandler(AdminErrors::invalidRequest)
        .requestHandler(router())
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  Router router() {
    Router router = Router.router(vertx);
    router
        .get("/openapi.yaml")
        .handler(
            ctx -> ctx.response().putHeader("content-type", "application/yaml").end(openApiYaml));
    router
        .get("/openapi.json")
        .handler(
            ctx -> ctx.response().putHeader("content-type", "application/json").end(openApiJson));
    router.route().handler(new AdminAuth(token));
    router.route().handler(RawBodyHandler.create(MAX_BODY_BYTES));

    router
        .get("/apis")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        admin.config().apis().values().stream()
                            .sorted(java.util.Comparator.comparing(ApiRecord::id))
                            .map(this::summary)
                            .toList()));
    router
        .post("/apis")
        .handler(
            ctx ->
                reply(
                    ctx,
                    201,
                    () -> summary(admin.importApi(ctx.queryParams().get("id"), body(ctx), false))));
    router
        .put("/apis/:api")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> summary(admin.importApi(ctx.pathParam("api"), body(ctx), true))));
    router
        .get("/apis/:api")
        .handler(ctx -> reply(ctx, 200, () -> summary(admin.api(ctx.pathParam("api")))));
    router
        .delete("/apis/:api")
        .handler(
            ctx ->
                reply(
                    ctx,
                    204,
                    () -> {
                      admin.deleteApi(ctx.pathParam("api"));
                      return null;
                    }));
    router.get("/apis/:api/export").handler(this::export);

    router
        .post("/apis/:api/deployments")
        .handler(
            ctx ->
                reply(
                    ctx,
                    201,
                    () -> {
                      JsonNode body = jsonBody(ctx, true);
                      return deploymentSummary(
                          admin.deploy(
                              ctx.pathParam("api"),
                              text(body, "description"),
                              text(body, "stage")));
                    }));
    router
        .get("/apis/:api/deployments")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      admin.api(ctx.pathParam("api"));
                      return admin.config().deploymentsOf(ctx.pathParam("api")).stream()
                          .map(AdminServer::deploymentSummary)
                          .toList();
                    }));
    router
        .get("/apis/:api/deployments/:deployment")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        deploymentSummary(
                            admin.deployment(ctx.pathParam("api"), ctx.pathParam("deployment")))));

    router
        .get("/stages")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        admin.config().stages().values().stream()
                            .sorted(java.util.Comparator.comparing(s -> s.name()))
                            .toList()));
    router
        .get("/stages/:stage")
        .handler(ctx -> reply(ctx, 200, () -> admin.stage(ctx.pathParam("stage"))));
    router
        .put("/stages/:stage")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      JsonNode body = jsonBody(ctx, false);
                      return admin.putStage(
                          ctx.pathParam("stage"),
                          text(body, "apiId"),
                          text(body, "deploymentId"),
                          text(body, "description"),
                          variables(body, "variables", false));
                    }));
    router
        .patch("/stages/:stage")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      JsonNode body = jsonBody(ctx, false);
                      return admin.patchStage(
                          ctx.pathParam("stage"),
                          text(body, "deploymentId"),
                          text(body, "description"),
                          body.has("variables") ? variables(body, "variables", true) : null);
                    }));
    router
        .delete("/stages/:stage")
        .handler(
            ctx ->
                reply(
                    ctx,
                    204,
                    () -> {
                      admin.deleteStage(ctx.pathParam("stage"));
                      return null;
                    }));
    router
        .put("/stages/:stage/canary")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> admin.putCanary(ctx.pathParam("stage"), canary(jsonBody(ctx, false)))));
    router
        .post("/stages/:stage/canary/promote")
        .handler(ctx -> reply(ctx, 200, () -> admin.promoteCanary(ctx.pathParam("stage"))));
    router
        .delete("/stages/:stage/canary")
        .handler(ctx -> reply(ctx, 200, () -> admin.deleteCanary(ctx.pathParam("stage"))));

    router
        .put("/stages/:stage/settings")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        admin.putStageSettings(
                            ctx.pathParam("stage"), parse(ctx, StageSettings.class))));
    router
        .delete("/stages/:stage/cache")
        .handler(ctx -> reply(ctx, 200, () -> admin.flushCache(ctx.pathParam("stage"))));
    planRoutes(router);
    connectionRoutes(router);
    AdminErrors.install(router, MAX_BODY_BYTES);
    return router;
  }

  private void planRoutes(Router router) {
    router
        .post("/apikeys")
        .handler(
            ctx ->
                reply(
                    ctx,
                    201,
                    () -> {
                      JsonNode body = jsonBody(ctx, false);
                      PlansAdmin.CreatedKey created =
                          plans.createKey(
                              text(body, "name"),
                              text(body, "description"),
                              body.has("enabled") ? body.get("enabled").asBoolean() : null,
                              text(body, "value"));
                      Map<String, Object> out = new LinkedHashMap<>(keySummary(created.key()));
                      out.put("value", created.value());
                      return out;
                    }));
    router
        .get("/apikeys")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        admin.config().apiKeys().values().stream()
                            .sorted(java.util.Comparator.comparing(k -> k.createdAt()))
                            .map(AdminServer::keySummary)
                            .toList()));
    router
        .get("/apikeys/:key")
        .handler(ctx -> reply(ctx, 200, () -> keySummary(plans.key(ctx.pathParam("key")))));
    router
        .patch("/apikeys/:key")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      JsonNode body = jsonBody(ctx, false);
                      return keySummary(
                          plans.updateKey(
                              ctx.pathParam("key"),
                              body.has("enabled") ? body.get("enabled").asBoolean() : null,
                              text(body, "name"),
                              text(body, "description")));
                    }));
    router
        .delete("/apikeys/:key")
        .handler(
            ctx ->
                reply(
                    ctx,
                    204,
                    () -> {
                      plans.deleteKey(ctx.pathParam("key"));
                      return null;
                    }));

    router
        .post("/usageplans")
        .handler(
            ctx -> reply(ctx, 201, () -> plans.putPlan(null, parse(ctx, UsagePlanRecord.class))));
    router
        .get("/usageplans")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        admin.config().usagePlans().values().stream()
                            .sorted(java.util.Comparator.comparing(p -> p.createdAt()))
                            .toList()));
    router
        .get("/usageplans/:plan")
        .handler(ctx -> reply(ctx, 200, () -> plans.plan(ctx.pathParam("plan"))));
    router
        .put("/usageplans/:plan")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      plans.plan(ctx.pathParam("plan"));
                      return plans.putPlan(
                          ctx.pathParam("plan"), parse(ctx, UsagePlanRecord.class));
                    }));
    router
        .delete("/usageplans/:plan")
        .handler(
            ctx ->
                reply(
                    ctx,
                    204,
                    () -> {
                      plans.deletePlan(ctx.pathParam("plan"));
                      return null;
                    }));
    router
        .post("/usageplans/:plan/keys")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () ->
                        plans.addKey(ctx.pathParam("plan"), text(jsonBody(ctx, false), "keyId"))));
    router
        .delete("/usageplans/:plan/keys/:key")
        .handler(
            ctx ->
                reply(
                    ctx, 200, () -> plans.removeKey(ctx.pathParam("plan"), ctx.pathParam("key"))));
    router
        .get("/usageplans/:plan/usage")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                      return plans.usage(
                          ctx.pathParam("plan"),
                          ctx.queryParams().get("keyId"),
                          date(ctx, "startDate", today),
                          date(ctx, "endDate", today));
                    }));
    router
        .post("/usageplans/:plan/keys/:key/usage")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> {
                      JsonNode delta = jsonBody(ctx, false).get("usedDelta");
                      if (delta == null || !delta.canConvertToLong()) {
                        throw AdminException.invalid(
                            List.of("usedDelta: required, an integer (negative grants requests)"));
                      }
                      return plans.adjust(
                          ctx.pathParam("plan"), ctx.pathParam("key"), delta.asLong());
                    }));
  }

  private static Map<String, Object> keySummary(ApiKeyRecord key) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", key.id());
    out.put("name", key.name());
    out.put("description", key.description());
    out.put("enabled", key.enabled());
    out.put("createdAt", key.createdAt());
    return out;
  }

  private static java.time.LocalDate date(
      RoutingContext ctx, String name, java.time.LocalDate fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return java.time.LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw AdminException.invalid(List.of(name + ": a date yyyy-MM-dd, was " + value));
    }
  }

  /** The body as a record; Jackson's complaint (field and line) becomes the 400's problem. */
  private static <T> T parse(RoutingContext ctx, Class<T> type) {
    JsonNode body = jsonBody(ctx, false);
    try {
      // Strict here (unlike on the wire): a misspelt setting must be an error, not a no-op.
      return Json.MAPPER
          .readerFor(type)
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(body);
    } catch (IOException | IllegalArgumentException e) {
      String message =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw AdminException.invalid(List.of("body: " + message));
    }
  }

  private void export(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    String extensionsParam = ctx.queryParams().get("extensions");
    if ((format != null && !format.equals("yaml") && !format.equals("json"))
        || (extensionsParam != null
            && !extensionsParam.equals("true")
            && !extensionsParam.equals("false"))) {
      AdminErrors.fail(
          ctx, AdminException.invalid(List.of("format: yaml or json; extensions: true or false")));
      return;
    }
    String accept = ctx.request().getHeader("accept");
    ApiExporter.Format out =
        "json".equals(format) || (format == null && accept != null && accept.contains("json"))
            ? ApiExporter.Format.JSON
            : ApiExporter.Format.YAML;
    boolean extensions = !"false".equals(extensionsParam);
    vertx
        .executeBlocking(() -> admin.export(ctx.pathParam("api"), extensions, out))
        .onComplete(
            r -> {
              if (r.failed()) {
                AdminErrors.fail(ctx, r.cause());
              } else {
                ctx.response()
                    .putHeader(
                        "content-type",
                        out == ApiExporter.Format.JSON ? "application/json" : "application/yaml")
                    .end(r.result());
              }
            });
  }

  /**
   * {@code /@connections/{id}}: POST sends the body to the client (a binary frame when its content
   * type is {@code application/octet-stream}, else a text frame), GET describes the connection,
   * DELETE closes it; on whichever replica holds it.
   */
  private void connectionRoutes(Router router) {
    router
        .post("/@connections/:id")
        .handler(
            ctx -> {
              byte[] data = bytes(ctx);
              boolean binary =
                  "application/octet-stream"
                      .equalsIgnoreCase(ctx.request().getHeader("content-type"));
              connection(
                  ctx,
                  new ConnectionCommand(
                      ConnectionCommand.POST,
                      ctx.pathParam("id"),
                      binary
                          ? java.util.Base64.getEncoder().encodeToString(data)
                          : new String(data, java.nio.charset.StandardCharsets.UTF_8),
                      binary));
            });
    router
        .get("/@connections/:id")
        .handler(
            ctx ->
                connection(
                    ctx,
                    new ConnectionCommand(
                        ConnectionCommand.GET, ctx.pathParam("id"), null, false)));
    router
        .delete("/@connections/:id")
        .handler(
            ctx ->
                connection(
                    ctx,
                    new ConnectionCommand(
                        ConnectionCommand.DELETE, ctx.pathParam("id"), null, false)));
  }

  private void connection(RoutingContext ctx, ConnectionCommand command) {
    connections
        .execute(command)
        .onComplete(
            r -> {
              if (r.failed()) {
                AdminErrors.fail(ctx, r.cause());
                return;
              }
              FunctionResponse answer = r.result();
              ctx.response().setStatusCode(answer.statusCode());
              if (answer.headers() != null) {
                answer.headers().forEach(ctx.response()::putHeader);
              }
              ctx.response().end(answer.body() == null ? "" : answer.body());
            });
  }

  /** Runs a blocking admin operation on a worker and answers with its result as JSON. */
  private void reply(RoutingContext ctx, int status, Callable<Object> operation) {
    vertx
        .executeBlocking(operation)
        .onComplete(
            r -> {
              if (r.failed()) {
                AdminErrors.fail(ctx, r.cause());
              } else if (status == 204) {
                ctx.response().setStatusCode(204).end();
              } else {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(toJson(r.result()));
              }
            });
  }

  private Map<String, Object> summary(ApiRecord api) {
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

  private static Map<String, Object> deploymentSummary(DeploymentRecord d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", d.id());
    out.put("apiId", d.apiId());
    out.put("createdAt", d.createdAt());
    out.put("description", d.description());
    return out;
  }

  /** The body {@link RawBodyHandler} read: empty when the request had none. */
  private static byte[] bytes(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null
        ? new byte[0]
        : ctx.body().buffer().getBytes();
  }

  private static byte[] body(RoutingContext ctx) {
    byte[] body = bytes(ctx);
    if (body.length == 0) {
      throw AdminException.invalid(
          List.of("body: an OpenAPI 3 document (YAML or JSON) is required"));
    }
    return body;
  }

  private static JsonNode jsonBody(RoutingContext ctx, boolean optional) {
    byte[] bytes = bytes(ctx);
    if (bytes.length == 0) {
      if (optional) {
        return Json.MAPPER.createObjectNode();
      }
      throw AdminException.invalid(List.of("body: a JSON object is required"));
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw AdminException.invalid(List.of("body: must be a JSON object"));
      }
      return node;
    } catch (IOException e) {
      throw AdminException.invalid(List.of("body: not JSON: " + e.getMessage()));
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw AdminException.invalid(List.of(field + ": must be a string"));
    }
    return value.asText();
  }

  /** A string map; with {@code nullsAllowed}, a null value means "remove". */
  private static Map<String, String> variables(JsonNode body, String field, boolean nullsAllowed) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw AdminException.invalid(List.of(field + ": must be an object of strings"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isNull() && nullsAllowed) {
        out.put(e.getKey(), null);
      } else if (!e.getValue().isTextual()) {
        throw AdminException.invalid(List.of(field + "." + e.getKey() + ": must be a string"));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  private static CanarySettings canary(JsonNode body) {
    JsonNode percent = body.get("percentTraffic");
    if (percent == null || !percent.isNumber()) {
      throw AdminException.invalid(List.of("percentTraffic: required, a number 0 to 100"));
    }
    JsonNode useStageCache = body.path("useStageCache");
    return new CanarySettings(
        percent.asDouble(),
        text(body, "deploymentId"),
        variables(body, "stageVariableOverrides", false),
        useStageCache.asBoolean(false));
  }

  private static String toJson(Object value) {
    return Json.toString(value);
  }

  private static String resource(String name) {
    try (InputStream in = AdminServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
