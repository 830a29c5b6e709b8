package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A usage plan's limits hold for the cluster: two edge replicas behind a round-robin client admit
 * what one would, within the documented tolerance, and quotas survive a restart.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class ClusterLimitsTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: metered}
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
      paths:
        /m:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock, body: ok}
      """;

  @Test
  void shouldHoldThrottleAndQuotaAcrossTwoReplicasAndARestart(TestKafka kafka) {
    String prefix = kafka.freshPrefix();
    Edge a = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "0").start();
    Edge b = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "1").start();
    try {
      Admin admin = new Admin(a);
      admin.importApi("metered", API);
      admin.deploy("metered", "metered");
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> a.service.liveReplicas() == 2 && b.service.liveReplicas() == 2);

      String throttled = keyInPlan(admin, "{\"rateLimit\":10,\"burstLimit\":10}", null);
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served(b, throttled) != 403);
      // Round-robin as fast as one client can for 3 s: the cluster admits rate x time + burst.
      int admitted = 0;
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(3);
      int i = 0;
      while (System.nanoTime() < end) {
        admitted += served(i++ % 2 == 0 ? a : b, throttled) == 200 ? 1 : 0;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double expected = 10 * seconds + 10;
      assertTrue(
          Math.abs(admitted - expected) <= 0.1 * expected + 2,
          "admitted " + admitted + " of " + i + ", expected about " + expected);

      String metered = keyInPlan(admin, null, "{\"limit\":50,\"period\":\"DAY\"}");
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served(b, metered) != 403);
      int ok = 1; // the probe above was admitted
      int limitExceeded = 0;
      for (int n = 0; n < 300 && limitExceeded == 0; n++) {
        int status = served(n % 2 == 0 ? a : b, metered);
        ok += status == 200 ? 1 : 0;
        limitExceeded += status == 429 && lastWasLimit ? 1 : 0;
      }
      // The documented tolerance: never under the quota, over it by at most 10% (or 5 requests).
      assertTrue(ok >= 50 && ok <= 55, "admitted " + ok + " on a quota of 50");
    } finally {
      b.close();
      a.close();
    }
    // A restarted replica resumes from the counts on Kafka: the quota is still spent.
    try (Edge again = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "0").start()) {
      assertEquals(429, served(again, lastMeteredKey));
    }
  }

  boolean lastWasLimit;
  static String lastMeteredKey;

  int served(Edge edge, String key) {
    var response = edge.request("GET", "/metered/m", null, "x-api-key", key);
    lastWasLimit = response.body().contains("Limit Exceeded");
    return response.statusCode();
  }

  static String keyInPlan(Admin admin, String throttle, String quota) {
    JsonNode key = admin.call(201, "POST", "/apikeys", "{\"name\":\"k\"}");
    String plan =
        admin
            .call(
                201,
                "POST",
                "/usageplans",
                "{\"name\":\"p\""
                    + (throttle == null ? "" : ",\"throttle\":" + throttle)
                    + (quota == null ? "" : ",\"quota\":" + quota)
                    + ",\"apiStages\":[{\"apiId\":\"metered\",\"stage\":\"metered\"}]}")
            .get("id")
            .asText();
    admin.call(
        200,
        "POST",
        "/usageplans/" + plan + "/keys",
        "{\"keyId\":\"" + key.get("id").asText() + "\"}");
    String value = key.get("value").asText();
    if (quota != null) {
      lastMeteredKey = value;
    }
    return value;
  }
}
