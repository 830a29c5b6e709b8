package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.request.Step;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
  /** The answer an integration left, then the writer. */
  static ChainServer start(FunctionResponse answer) {
    return ChainServer.start(
        ex -> {
          ex.respondWith(answer);
          return Step.NEXT;
        },
        new ResponseWriter());
  }

  @Test
  void shouldWriteTheAnswersStatusHeadersAndBody() {
    try (ChainServer chain =
        start(new FunctionResponse(201, Map.of("x-one", "1"), "hello", false))) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(201, r.statusCode());
      assertEquals("1", r.headers().firstValue("x-one").orElseThrow());
      assertEquals("hello", r.body());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldDecodeABase64Body() {
    String encoded = Base64.getEncoder().encodeToString("bytes".getBytes());
    try (ChainServer chain = start(new FunctionResponse(200, Map.of(), encoded, true))) {
      assertEquals("bytes", chain.get("/s/x").body());
    }
  }

  @Test
  void shouldAnswer502ForABodyThatIsNotBase64() {
    try (ChainServer chain = start(new FunctionResponse(200, Map.of(), "not base64!", true))) {
      HttpResponse<String> r = chain.get("/s/x");
      assertEquals(502, r.statusCode());
      assertEquals("IntegrationFailure", r.headers().firstValue("x-portico-error-type").get());
    }
  }
}
