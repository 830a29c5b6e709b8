package dev.portico.edge.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryEncodingTest {
  @Test
  void shouldRefuseExactlyWhatTheDecoderCannotDecode() {
    // The decoder Vert.x uses for request parameters, as Vert.x builds it.
    String alphabet = "%%%2Ffa9zZ=&;+ é";
    Random random = new Random(13);
    for (int i = 0; i < 100_000; i++) {
      StringBuilder query = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        query.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String q = query.toString();
      boolean decodes;
      try {
        new QueryStringDecoder("/p?" + q, StandardCharsets.UTF_8, true, 1024, false).parameters();
        decodes = true;
      } catch (IllegalArgumentException e) {
        decodes = false;
      }
      assertEquals(decodes, QueryEncoding.check(q) == null, q);
    }
  }

  @Test
  void shouldNameTheParameterAsSent() {
    assertEquals(
        "Invalid query string encoding in parameter 'limit'",
        QueryEncoding.check("a=1&limit=%zz&b=2").getMessage());
    assertEquals(
        "Invalid query string encoding in parameter 'l%imit'",
        QueryEncoding.check("x=1;l%imit=2").getMessage());
    assertEquals(
        "Invalid query string encoding in parameter 'flag%'",
        QueryEncoding.check("flag%").getMessage());
    assertEquals(
        "Invalid query string encoding in parameter '" + "n".repeat(64) + "...'",
        QueryEncoding.check("n".repeat(100) + "=%").getMessage());
    assertEquals(400, QueryEncoding.check("a=%").status());
    assertEquals("BadRequestException", QueryEncoding.check("a=%").type());
  }

  @Test
  void shouldPassWellFormedAndAbsentQueries() {
    assertNull(QueryEncoding.check(null));
    assertNull(QueryEncoding.check(""));
    assertNull(QueryEncoding.check("a=%41%c3%A9&b=+&c"));
  }
}
