package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.steps.BodyLimit;
import dev.portico.edge.steps.ChainServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ValidationGuardTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      x-portico-validate: true
      paths:
        /orders:
          post:
            parameters:
              - {name: tenant, in: query, required: true, schema: {type: string}}
            requestBody:
              required: true
              content:
                application/json:
                  schema: {type: object, required: [quantity], properties: {quantity: {type: integer, minimum: 1}}}
            x-portico-integration: {type: mock}
      """;

  ChainServer start() {
    return ChainServer.routed(
        ChainServer.serving(API, StageSettings.NONE),
        new BodyLimit(1 << 20),
        new ValidationGuard());
  }

  @Test
  void shouldKeepAValidBodyForTheIntegration() {
    try (ChainServer chain = start()) {
      HttpResponse<String> r =
          chain.send(
              "POST", "/s/orders?tenant=t", "{\"quantity\":2}", "content-type", "application/json");
      assertEquals(200, r.statusCode());
      assertEquals("{\"quantity\":2}", ChainServer.json(r).getString("body"));
    }
  }

  @Test
  void shouldRefuseMissingParametersAnInvalidBodyAndAnUndeclaredMediaType() {
    try (ChainServer chain = start()) {
      HttpResponse<String> missing =
          chain.send("POST", "/s/orders", "{\"quantity\":2}", "content-type", "application/json");
      assertEquals(400, missing.statusCode());
      assertEquals(
          "{\"message\":\"Missing required request parameters: [tenant]\"}", missing.body());

      HttpResponse<String> invalid =
          chain.send(
              "POST", "/s/orders?tenant=t", "{\"quantity\":0}", "content-type", "application/json");
      assertEquals(400, invalid.statusCode());
      assertEquals("Invalid request body", ChainServer.json(invalid).getString("message"));
      assertTrue(ChainServer.json(invalid).getJsonArray("violations").size() > 0, invalid.body());

      HttpResponse<String> media =
          chain.send("POST", "/s/orders?tenant=t", "quantity=2", "content-type", "text/plain");
      assertEquals(415, media.statusCode());
      assertEquals(0, chain.probed());
    }
  }
}
