package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.edge.request.Limits;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  @Test
  void shouldRefuseAUrlOverTheLimitWith414() {
    try (ChainServer chain = ChainServer.start(new RequestLimits())) {
      String prefix = "/s/x?q=";
      HttpResponse<String> atLimit =
          chain.get(prefix + "a".repeat(Limits.MAX_URL_BYTES - prefix.length()));
      assertEquals(200, atLimit.statusCode());
      HttpResponse<String> over =
          chain.get(prefix + "a".repeat(Limits.MAX_URL_BYTES - prefix.length() + 1));
      assertEquals(414, over.statusCode());
      assertEquals("{\"message\":\"Request-URI Too Long\"}", over.body());
      assertEquals(1, chain.probed());
    }
  }

  @Test
  void shouldRefuseAHeaderBlockOverTheLimitWith431AndCloseTheConnection() {
    try (ChainServer chain = ChainServer.start(new RequestLimits())) {
      HttpResponse<String> r =
          chain.get("/s/x", "x-big", "v".repeat(Limits.MAX_HEADER_BLOCK_BYTES));
      assertEquals(431, r.statusCode());
      assertEquals("{\"message\":\"Request Header Fields Too Large\"}", r.body());
      assertEquals("close", r.headers().firstValue("connection").orElseThrow());
      assertEquals(200, chain.get("/s/x", "x-small", "v".repeat(1_000)).statusCode());
      assertEquals(1, chain.probed());
    }
  }
}
