package dev.portico.edge.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.edge.StageSettings;
import dev.portico.edge.steps.ChainServer;
import dev.portico.edge.steps.StageSelector;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class IpGuardTest {
  static String api(String policy) {
    return """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-portico-ip-policy: %s
        paths:
          /a:
            get:
              x-portico-integration: {type: mock}
        """
        .formatted(policy);
  }

  ChainServer start(String policy) {
    var state = ChainServer.serving(api(policy), StageSettings.NONE);
    return ChainServer.start(new StageSelector(() -> state), new IpGuard());
  }

  @Test
  void shouldRefuseADeniedSourceWith403() {
    try (ChainServer chain = start("{deny: [\"127.0.0.0/8\"]}")) {
      HttpResponse<String> r = chain.get("/s/a");
      assertEquals(403, r.statusCode());
      assertEquals("{\"message\":\"Forbidden\"}", r.body());
      assertEquals(0, chain.probed());
    }
  }

  @Test
  void shouldLetAnAllowedSourceThrough() {
    try (ChainServer chain = start("{allow: [\"127.0.0.1/32\"], deny: [\"10.0.0.0/8\"]}")) {
      assertEquals(200, chain.get("/s/a").statusCode());
    }
    try (ChainServer chain = start("{allow: [\"10.0.0.0/8\"]}")) {
      assertEquals(403, chain.get("/s/a").statusCode());
    }
  }
}
