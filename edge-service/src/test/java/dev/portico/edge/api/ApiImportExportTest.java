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
    // The greedy proxy's integration.request.path.proxy = method.request.path.proxy is the
    // route's own {proxy}: it maps to nothing, and nothing is reported.
    assertFalse(
        warnings.stream().anyMatch(w -> w.contains("requestParameters")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("cacheKeyParameters not mapped")));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("no record key")));
    assertTrue(
        warnings.stream().anyMatch(w -> w.contains("x-amazon-apigateway-authorizer")),
        warnings.toString());
  }

  @Test
  void shouldImportAnHttpApiExportsParameterMappingKeepingWhatPorticoTakes() {
    String doc =
        """
        {"openapi": "3.0.1", "info": {"title": "mapped"},
         "x-amazon-apigateway-importexport-version": "1.0",
         "paths": {"/items/{id}": {"get": {"x-amazon-apigateway-integration": {
           "type": "http_proxy", "uri": "http://backend.internal/items/{id}",
           "payloadFormatVersion": "1.0",
           "requestParameters": {
             "append:header.x-env": "$stageVariables.env",
             "overwrite:querystring.id": "$request.path.id",
             "overwrite:header.x-name": "$request.body.name",
             "overwrite:header.Authorization": "x",
             "remove:querystring.debug": "''",
             "overwrite:path": "/v2/items/${request.path.id}"},
           "responseParameters": {
             "200": {"append:header.x-stage": "$context.stage", "overwrite:header.x-b": "$response.body.b"},
             "abc": {"overwrite:statuscode": "200"}}}}}}}
        """;
    ApiImporter.Imported imported = importer.importDocument(doc.getBytes(StandardCharsets.UTF_8));
    var mapping = imported.definition().routes().get(0).mapping();
    assertEquals(
        List.of(
            "APPEND HEADER x-env $stageVariables.env",
            "OVERWRITE QUERYSTRING id $request.path.id",
            "REMOVE QUERYSTRING debug null",
            "OVERWRITE PATH null /v2/items/${request.path.id}"),
        mapping.request().stream()
            .map(r -> r.action() + " " + r.target() + " " + r.name() + " " + r.value())
            .toList());
    assertEquals(1, mapping.responses().get(200).size());
    assertEquals(
        List.of(
            "paths./items/{id}.get: requestParameters.overwrite:header.x-name: $request.body.name:"
                + " the request body cannot be mapped (the edge streams it); not mapped",
            "paths./items/{id}.get: requestParameters.overwrite:header.Authorization: Authorization"
                + " is a reserved header and cannot be mapped; not mapped",
            "paths./items/{id}.get: responseParameters.200.overwrite:header.x-b:"
                + " $response.body.b: the response body cannot be mapped (the edge streams it); not"
                + " mapped",
            "paths./items/{id}.get: responseParameters.abc: must be a status code 200 to 599 and its"
                + " mappings; not mapped"),
        imported.warnings());
  }

  @Test
  void shouldTranslateARestApiExportsRequestParametersWhereTheyMap() {
    String doc =
        """
        {"openapi": "3.0.1", "info": {"title": "rest"},
         "paths": {
           "/items/{itemId}": {"get": {"x-amazon-apigateway-integration": {
             "type": "http_proxy", "uri": "http://backend.internal/items/{id}",
             "requestParameters": {
               "integration.request.path.id": "method.request.path.itemId",
               "integration.request.header.x-user": "method.request.header.user",
               "integration.request.header.x-all": "method.request.multivalueheader.all",
               "integration.request.querystring.env": "stageVariables.env",
               "integration.request.querystring.fixed": "'v2'",
               "integration.request.header.x-caller": "context.identity.sourceIp",
               "integration.request.header.x-name": "method.request.body.name",
               "integration.request.header.x-odd": "context.nope",
               "integration.request.header.Connection": "'close'"}}}},
           "/fn": {"get": {"x-amazon-apigateway-integration": {
             "type": "aws_proxy",
             "uri": "arn:aws:apigateway:r:lambda:path/2015-03-31/functions/arn:aws:lambda:r:1:function:F/invocations",
             "requestParameters": {"integration.request.header.x-a": "'a'"}}}}}}
        """;
    ApiImporter.Imported imported = importer.importDocument(doc.getBytes(StandardCharsets.UTF_8));
    Route items =
        imported.definition().routes().stream()
            .filter(r -> r.routeKey().equals("GET /items/{itemId}"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "http://backend.internal/items/{itemId}", ((Integration.Http) items.integration()).uri());
    assertEquals(
        List.of(
            "OVERWRITE HEADER x-user $request.header.user",
            "OVERWRITE HEADER x-all $request.header.all",
            "OVERWRITE QUERYSTRING env $stageVariables.env",
            "OVERWRITE QUERYSTRING fixed v2",
            "OVERWRITE HEADER x-caller $context.identity.sourceIp"),
        items.mapping().request().stream()
            .map(r -> r.action() + " " + r.target() + " " + r.name() + " " + r.value())
            .toList());
    List<String> warnings = imported.warnings();
    assertEquals(5, warnings.size(), warnings.toString());
    assertContains(
        warnings.get(0),
        "integration.request.header.x-name: the value method.request.body.name has no Portico"
            + " equivalent");
    assertContains(
        warnings.get(1),
        "integration.request.header.x-odd: the value context.nope has no Portico equivalent");
    assertContains(
        warnings.get(2),
        "integration.request.header.Connection (as overwrite:header.Connection: Connection is a"
            + " reserved header");
    assertContains(warnings.get(3), "paths./fn.get: no record key");
    assertContains(
        warnings.get(4),
        "paths./fn.get: requestParameters of a REST API's aws_proxy integration not mapped");
  }

  static void assertContains(String actual, String expected) {
    assertTrue(actual.contains(expected), "expected to contain " + expected + "\n got " + actual);
  }

  @Test
  void shouldRefuseAPorticoDocumentsBadMappingWithEveryProblem() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: bad}
        paths:
          /a:
            get:
              x-portico-integration:
                type: http
                uri: "http://127.0.0.1:1/a"
                requestParameters: {"overwrite:header.host": "x", "overwrite:header.x-a": "$request.nope"}
                responseParameters: {"700": {"overwrite:header.x-b": "1"}}
        """;
    InvalidApiException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidApiException.class, () -> reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertEquals(3, e.problems().size(), e.problems().toString());
    assertTrue(
        e.problems()
            .get(0)
            .startsWith(
                "paths./a.get.x-portico-integration.requestParameters.overwrite:header.host: host is a reserved header"),
        e.problems().toString());
    assertTrue(
        e.problems()
            .get(1)
            .startsWith(
                "paths./a.get.x-portico-integration.requestParameters.overwrite:header.x-a: $request.nope: not a reference"),
        e.problems().toString());
    assertTrue(
        e.problems()
            .get(2)
            .startsWith(
                "paths./a.get.x-portico-integration.responseParameters.700: the key must be a status code"),
        e.problems().toString());
  }

  @Test
  void shouldImportAnAwsRequestAuthorizerAsAnAuthorizerFunctionAndKeepItThroughAnExport() {
    String rest =
        """
        {"openapi": "3.0.1", "info": {"title": "tenants"},
         "components": {"securitySchemes": {
           "tenant-auth": {"type": "apiKey", "name": "Unused", "in": "header",
             "x-amazon-apigateway-authtype": "custom",
             "x-amazon-apigateway-authorizer": {"type": "request",
               "identitySource": "method.request.header.Authorization, method.request.querystring.tenant, stageVariables.realm, context.identity.sourceIp",
               "authorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123:function:TenantAuth/invocations",
               "authorizerCredentials": "arn:aws:iam::123:role/invoker",
               "authorizerResultTtlInSeconds": 60}}}},
         "paths": {"/orders": {"get": {"security": [{"tenant-auth": []}],
           "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
             "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123:function:ListOrders/invocations"}}}}}
        """;
    ApiImporter.Imported imported = importer.importDocument(rest.getBytes(StandardCharsets.UTF_8));
    FunctionAuthorizer authorizer =
        imported.definition().policies().functionAuthorizers().get("tenant-auth");
    assertEquals("portico.fn.TenantAuth", authorizer.topic());
    assertEquals(Duration.ofSeconds(60), authorizer.resultTtl());
    assertEquals(
        List.of(
            "$request.header.authorization",
            "$request.querystring.tenant",
            "$stageVariables.realm",
            "$context.identity.sourceIp"),
        authorizer.identitySources().stream().map(IdentitySource::expression).toList());
    Route orders = imported.definition().routes().get(0);
    assertEquals("tenant-auth", orders.options().authorizer(), "the route keeps its authorizer");
    List<String> warnings = imported.warnings();
    assertTrue(
        warnings.stream()
            .noneMatch(w -> w.contains("WITHOUT") || w.contains("not mapped, ignored")),
        warnings.toString());
    assertTrue(
        warnings.stream().anyMatch(w -> w.contains("authorizerCredentials: dropped")),
        warnings.toString());
    String exported =
        ApiExporter.export(Json.toString(imported.document()), true, ApiExporter.Format.YAML);
    ApiImporter.Imported again = importer.importDocument(exported.getBytes(StandardCharsets.UTF_8));
    assertEquals(imported.document(), again.document());
    assertEquals(
        authorizer, again.definition().policies().functionAuthorizers().get("tenant-auth"));
  }

  @Test
  void shouldReportEveryProblemOfAnAuthorizerFunction() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: bad}
        components:
          securitySchemes:
            fn:
              type: apiKey
              in: header
              name: authorization
              x-portico-authorizer:
                type: function
                identitySource: [$request.body.token]
                resultTtlSeconds: 3601
            cached:
              type: apiKey
              in: header
              name: authorization
              x-portico-authorizer: {type: function, topic: fn.a}
        paths:
          /x:
            get:
              security: [{fn: [read]}]
              x-portico-integration: {type: mock}
        """;
    InvalidApiException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidApiException.class, () -> reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    String problems = e.problems().toString();
    assertTrue(problems.contains("fn.x-portico-authorizer.topic: required"), problems);
    assertTrue(problems.contains("$request.body.token is not"), problems);
    assertTrue(problems.contains("resultTtlSeconds: 0 to 3600"), problems);
    assertTrue(
        problems.contains("cached.x-portico-authorizer.identitySource: required while results"),
        problems);
    assertTrue(problems.contains("scopes apply to JWT authorizers only"), problems);
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
