package dev.portico.edge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.edge.api.OpenApiReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API's route table and the OpenAPI document it serves describe the same API: every route
 * (method and path) is documented, and every documented operation is a route.
 */
class AdminRoutesTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldServeAnOpenApiDocumentDescribingExactlyItsRoutes() throws Exception {
    Router router = adminServer().router();
    HttpServer server =
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    HttpResponse<String> served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/openapi.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, served.statusCode(), served.body());

    Map<String, Set<String>> documented = documented(Json.MAPPER.readTree(served.body()));
    Map<String, Set<String>> routes = routes(router);
    assertFalse(routes.isEmpty());
    assertEquals(documented, routes);
  }

  private AdminServer adminServer() {
    // The route table only: no operation runs, so the operations need no config topic.
    return new AdminServer(
        vertx,
        new GatewayAdmin(null, null),
        new PlansAdmin(null, null),
        null,
        new OpenApiReader("t.", Duration.ofSeconds(29), Duration.ofSeconds(29)),
        null,
        "token");
  }

  /** Path template ({@code /apis/{api}}) to its operations' methods, as the document lists them. */
  private static Map<String, Set<String>> documented(JsonNode document) {
    Map<String, Set<String>> out = new TreeMap<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path -> {
              Set<String> methods = new TreeSet<>();
              path.getValue().fieldNames().forEachRemaining(f -> methods.add(f));
              methods.retainAll(METHODS);
              out.put(path.getKey(), methods);
            });
    return out;
  }

  /**
   * The same of the router: each route with a path, its {@code :param}s written {@code {param}}.
   */
  private static Map<String, Set<String>> routes(Router router) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null) {
        continue; // the token check and the body reader, in front of every route
      }
      String template = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      route
          .methods()
          .forEach(
              m ->
                  out.computeIfAbsent(template, k -> new TreeSet<>())
                      .add(m.name().toLowerCase(Locale.ROOT)));
    }
    return out;
  }
}
