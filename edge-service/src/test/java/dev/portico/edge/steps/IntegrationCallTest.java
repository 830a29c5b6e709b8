package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.edge.StageSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The mock integration (kafka and http integrations need a broker or a backend: their tests are
 * IntegrationsTest and HttpBackendTest).
 */
class IntegrationCallTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      paths:
        /m:
          post:
            x-portico-integration: {type: mock, statusCode: 201, headers: {x-mock: m}, body: made}
      """;

  @Test
  void shouldLeaveAMocksAnswerForTheWriterAndDropTheBody() {
    try (ChainServer chain =
        ChainServer.routed(
            ChainServer.serving(API, StageSettings.NONE),
            new BodyLimit(1_000),
            new IntegrationCall(null, null, null),
            new ResponseWriter())) {
      HttpResponse<String> r = chain.send("POST", "/s/m", "ignored");
      assertEquals(201, r.statusCode());
      assertEquals("m", r.headers().firstValue("x-mock").orElseThrow());
      assertEquals("made", r.body());
      assertEquals(0, chain.probed());
    }
  }
}
