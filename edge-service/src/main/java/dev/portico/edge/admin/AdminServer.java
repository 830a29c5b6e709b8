package dev.portico.edge.admin;

import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.dynamo.DynamoApi;
import dev.portico.edge.tls.ServerCertificate;
import dev.portico.edge.websocket.Connections;
import dev.portico.runtime.RawBodyHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The admin API on its own port: the route table below, one line per route, over handlers grouped
 * by resource. Every route but the OpenAPI document needs the admin token. Bodies are read by
 * {@link RawBodyHandler} whatever their content type and parsed by {@link AdminBody}; handlers run
 * on workers through {@link AdminReplies}; every error, the router's and Netty's included, is JSON
 * from {@link AdminErrors}. The served {@link OpenApiDocument} describes exactly these routes.
 */
public final class AdminServer {
  private static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  private final Vertx vertx;
  private final String token;
  private final OpenApiDocument document = new OpenApiDocument();
  private final AdminReplies reply;
  private final ApiHandlers apis;
  private final DeploymentHandlers deployments;
  private final StageHandlers stages;
  private final StageSettingsHandlers settings;
  private final ApiKeyHandlers keys;
  private final UsagePlanHandlers plans;
  private final UsageHandlers usage;
  private final ConnectionHandlers connections;
  private final TableHandlers tables;
  private HttpServer server;

  public AdminServer(
      Vertx vertx,
      GatewayAdmin admin,
      PlansAdmin plansAdmin,
      Connections connections,
      OpenApiReader reader,
      DynamoApi dynamo,
      String token) {
    this.vertx = vertx;
    this.token = token;
    this.reply = new AdminReplies(vertx);
    this.apis = new ApiHandlers(admin, reader);
    this.deployments = new DeploymentHandlers(admin);
    this.stages = new StageHandlers(admin);
    this.settings = new StageSettingsHandlers(admin.stages());
    this.keys = new ApiKeyHandlers(admin, plansAdmin.keys());
    this.plans = new UsagePlanHandlers(admin, plansAdmin);
    this.usage = new UsageHandlers(plansAdmin);
    this.connections = new ConnectionHandlers(connections);
    this.tables = new TableHandlers(dynamo);
  }

  /** Listens on {@code host:port}: HTTPS with {@code certificate}, plain HTTP when it is null. */
  public Future<HttpServer> listen(String host, int port, ServerCertificate certificate) {
    HttpServerOptions options = new HttpServerOptions();
    if (certificate != null) {
      certificate.applyTo(options);
    }
    return vertx
        .createHttpServer(options)
        .invalidRequestHandler(AdminErrors::invalidRequest)
        .requestHandler(router())
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  /** The listening server (to replace its certificate); null before it listens. */
  public HttpServer server() {
    return server;
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  Router router() {
    Router router = Router.router(vertx);
    router.get("/openapi.yaml").handler(document::yaml);
    router.get("/openapi.json").handler(document::json);
    router.route().handler(new AdminAuth(token));
    router.route().handler(RawBodyHandler.create(MAX_BODY_BYTES));

    router.get("/apis").handler(reply.ok(apis::list));
    router.post("/apis").handler(reply.created(apis::create));
    router.put("/apis/:api").handler(reply.ok(apis::replace));
    router.get("/apis/:api").handler(reply.ok(apis::get));
    router.delete("/apis/:api").handler(reply.noContent(apis::delete));
    router.get("/apis/:api/export").handler(reply.ok(apis::export));

    router.post("/apis/:api/deployments").handler(reply.created(deployments::create));
    router.get("/apis/:api/deployments").handler(reply.ok(deployments::list));
    router.get("/apis/:api/deployments/:deployment").handler(reply.ok(deployments::get));

    router.get("/stages").handler(reply.ok(stages::list));
    router.get("/stages/:stage").handler(reply.ok(stages::get));
    router.put("/stages/:stage").handler(reply.ok(stages::put));
    router.patch("/stages/:stage").handler(reply.ok(stages::patch));
    router.delete("/stages/:stage").handler(reply.noContent(stages::delete));
    router.put("/stages/:stage/canary").handler(reply.ok(stages::putCanary));
    router.post("/stages/:stage/canary/promote").handler(reply.ok(stages::promoteCanary));
    router.delete("/stages/:stage/canary").handler(reply.ok(stages::deleteCanary));
    router.put("/stages/:stage/settings").handler(reply.ok(settings::put));
    router.delete("/stages/:stage/cache").handler(reply.ok(settings::flushCache));

    router.post("/apikeys").handler(reply.created(keys::create));
    router.get("/apikeys").handler(reply.ok(keys::list));
    router.get("/apikeys/:key").handler(reply.ok(keys::get));
    router.patch("/apikeys/:key").handler(reply.ok(keys::patch));
    router.delete("/apikeys/:key").handler(reply.noContent(keys::delete));

    router.post("/usageplans").handler(reply.created(plans::create));
    router.get("/usageplans").handler(reply.ok(plans::list));
    router.get("/usageplans/:plan").handler(reply.ok(plans::get));
    router.put("/usageplans/:plan").handler(reply.ok(plans::replace));
    router.delete("/usageplans/:plan").handler(reply.noContent(plans::delete));
    router.post("/usageplans/:plan/keys").handler(reply.ok(plans::addKey));
    router.delete("/usageplans/:plan/keys/:key").handler(reply.ok(plans::removeKey));
    router.get("/usageplans/:plan/usage").handler(reply.ok(usage::usage));
    router.post("/usageplans/:plan/keys/:key/usage").handler(reply.ok(usage::adjust));

    router.get("/tables").handler(reply.later(200, tables::list));
    router.post("/tables").handler(reply.later(201, tables::create));
    router.get("/tables/:table").handler(reply.later(200, tables::get));
    router.patch("/tables/:table").handler(reply.later(200, tables::update));
    router.delete("/tables/:table").handler(reply.later(200, tables::delete));
    router.get("/tables/:table/ttl").handler(reply.later(200, tables::getTtl));
    router.put("/tables/:table/ttl").handler(reply.later(200, tables::putTtl));

    router.post("/@connections/:connectionId").handler(reply.relay(connections::post));
    router.get("/@connections/:connectionId").handler(reply.relay(connections::get));
    router.delete("/@connections/:connectionId").handler(reply.relay(connections::delete));

    AdminErrors.install(router, MAX_BODY_BYTES);
    return router;
  }
}
