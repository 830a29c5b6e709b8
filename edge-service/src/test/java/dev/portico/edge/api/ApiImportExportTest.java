package dev.portico.edge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ApiImportExportTest {
  final OpenApiReader reader =
      new OpenApiReader("portico.", Duration.ofSeconds(29), Duration.ofSeconds(29));
  final ApiImporter importer = new ApiImporter(reader);

  static byte[] resource(String name) throws Exception {
    try (InputStream in = ApiImportExportTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  static Map<String, Integration> byRouteKey(ApiDefinition api) {
    return api.routes().stream().collect(Collectors.toMap(Route::routeKey, Route::integration));
  }

  @Test
  void shouldRoundTripADocumentThroughExportWithExtensions() throws Exception {
    ApiImporter.Imported first = importer.importDocument(resource("/apis/customer-api.yaml"));
    for (ApiExporter.Format format : ApiExporter.Format.values()) {
      String exported = ApiExporter.export(Json.toString(first.document()), true, format);
      ApiImporter.Imported again =
          importer.importDocument(exported.getBytes(StandardCharsets.UTF_8));
      assertEquals(first.document(), again.document(), format.name());
      assertEquals(byRouteKey(first.definition()), byRouteKey(again.definition()));
    }
  }

  @Test
  void shouldExportWithoutAnyIntegrationExtension() throws Exception {
    ApiImporter.Imported imported = importer.importDocument(resource("/apis/aws-exported.json"));
    String plain =
        ApiExporter.export(Json.toString(imported.document()), false, ApiExporter.Format.YAML);
    assertFalse(plain.contains("x-portico-"), plain);
    assertFalse(plain.contains("x-amazon-apigateway-integration"), plain);
    assertFalse(plain.contains("x-amazon-apigateway-authorizer"), plain);
    // ANY is the operation itself: it stays, or the path would lose its operation.
    assertTrue(plain.contains("x-amazon-apigateway-any-method"), plain);
    assertTrue(plain.contains("/orders/{order_id}:"), plain);
  }

  @Test
  void shouldMapAnApiExportedFromAwsAndReportWhatItCouldNot() throws Exception {
    ApiImporter.Imported imported = importer.importDocument(resource("/apis/aws-exported.json"));
    Map<String, Integration> routes = byRouteKey(imported.definition());

    var getOrder = (Integration.Kafka) routes.get("GET /orders/{order_id}");
    assertEquals("portico.fn.GetOrder.${stageVariables.lambdaAlias}", getOrder.topic());
    assertEquals(Duration.ofMillis(6000), getOrder.timeout());
    assertEquals(Integration.Mode.SYNC, getOrder.mode());
    assertEquals(
        Integration.PayloadFormat.V1_0,
        getOrder.payloadFormat(),
        "a REST API export's Lambda functions expect the 1.0 event");
    assertEquals(
        "portico.fn.GetOrder.live",
        ((Integration.Kafka) getOrder.resolve(Map.of("lambdaAlias", "live"))).topic());
    assertEquals(
        "portico.fn.CreateOrder", ((Integration.Kafka) routes.get("POST /orders")).topic());

    var legacy = (Integration.Http) routes.get("ANY /legacy/{proxy+}");
    assertEquals("http://legacy.internal:8080/{proxy}", legacy.uri());
    assertNull(legacy.method());

    var health = (Integration.Mock) routes.get("GET /health");
    assertEquals(200, health.statusCode());
    assertEquals("{\"status\":\"ok\"}", health.body());
    assertEquals("no-store", health.headers().get("Cache-Control"));

    assertEquals(4, routes.size(), routes.keySet().toString());
    List<String> warnings = imported.warnings();
    assertTrue(
        warnings.stream()
            .anyMatch(
                w ->
                    w.startsWith("paths./orders/{order_id}/raw.get: skipped")
                        && w.contains("'aws'")),
        warnings.toString());
    assertTrue(warnings.contains("x-amazon-apigateway-binary-media-types: not mapped, ignored"));
    assertTrue(warnings.contains("x-amazon-apigateway-gateway-responses: not mapped, ignored"));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("requestParameters not mapped")));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("cacheKeyParameters not mapped")));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("no record key")));
    assertTrue(
        warnings.stream().anyMatch(w -> w.contains("x-amazon-apigateway-authorizer")),
        warnings.toString());
  }

  @Test
  void shouldReadEveryIntegrationTypeAndMode() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: all}
        paths:
          /a:
            post:
              x-portico-integration: {type: kafka, topic: "fn.a", mode: async, key: "$request.header.x-id"}
          /b/{id}:
            get:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:1/b/{id}", httpMethod: post, timeoutMs: 50}
          /c:
            get:
              x-portico-integration: {type: mock, statusCode: 418, body: {teapot: true}}
        """;
    Map<String, Integration> routes = byRouteKey(reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        new Integration.Kafka(
            "fn.a",
            "$request.header.x-id",
            Integration.Mode.ASYNC,
            Duration.ofSeconds(29),
            Integration.PayloadFormat.V2_0),
        routes.get("POST /a"));
    assertEquals(
        new Integration.Http("http://127.0.0.1:1/b/{id}", "POST", Duration.ofMillis(50)),
        routes.get("GET /b/{id}"));
    assertEquals(new Integration.Mock(418, Map.of(), "{\"teapot\":true}"), routes.get("GET /c"));
  }

  @Test
  void shouldKeepPayloadFormat2ForAnHttpApiExportUnlessAnIntegrationDeclaresOne() {
    String doc =
        """
        {"openapi": "3.0.1", "info": {"title": "http-api"},
         "x-amazon-apigateway-importexport-version": "1.0",
         "paths": {
           "/a": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy",
             "uri": "arn:aws:apigateway:r:lambda:path/2015-03-31/functions/arn:aws:lambda:r:1:function:A/invocations"}}},
           "/b": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy",
             "payloadFormatVersion": "1.0",
             "uri": "arn:aws:apigateway:r:lambda:path/2015-03-31/functions/arn:aws:lambda:r:1:function:B/invocations"}}}}}
        """;
    ApiImporter.Imported imported = importer.importDocument(doc.getBytes(StandardCharsets.UTF_8));
    Map<String, Integration> routes = byRouteKey(imported.definition());
    assertEquals(
        Integration.PayloadFormat.V2_0, ((Integration.Kafka) routes.get("GET /a")).payloadFormat());
    assertEquals(
        Integration.PayloadFormat.V1_0, ((Integration.Kafka) routes.get("GET /b")).payloadFormat());
    assertFalse(
        imported.warnings().stream().anyMatch(w -> w.contains("importexport")),
        imported.warnings().toString());
  }

  @Test
  void shouldRefuseAPayloadFormatOtherThan1Or2AndASwaggerDocument() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: t}
        paths:
          /a:
            get:
              x-portico-integration: {type: kafka, topic: t, payloadFormatVersion: "3.0"}
        """;
    InvalidApiException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidApiException.class, () -> reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        e.problems().get(0).contains("payloadFormatVersion: must be"), e.problems().toString());
    InvalidApiException swagger =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidApiException.class,
            () ->
                reader.read(
                    "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\"}, \"paths\": {}}"
                        .getBytes(StandardCharsets.UTF_8)));
    assertTrue(swagger.problems().get(0).contains("oas30"), swagger.problems().toString());
  }

  @Test
  void shouldAllowLongerTimeoutsOnlyWhereTheOperatorDoes() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: slow}
        paths:
          /a:
            get:
              x-portico-integration: {type: http, uri: "http://x/", timeoutMs: 60000}
        """;
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                InvalidApiException.class, () -> reader.read(bytes))
            .problems()
            .get(0)
            .contains("must be 50 to 29000, was 60000"));
    var lenient = new OpenApiReader("p.", Duration.ofSeconds(29), Duration.ofSeconds(120));
    assertEquals(
        Duration.ofSeconds(60),
        ((Integration.Http) lenient.read(bytes).routes().get(0).integration()).timeout());
  }
}
