package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.runtime.ConfigException;
import dev.portico.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one-command local mode: broker child process + five services, and a restart on its data. */
@Timeout(300)
class LauncherTest {
  @TempDir Path dataDir;

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_DATA_DIR", dataDir.toString());
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_BROKER_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_BROKER_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
    for (String port :
        new String[] {
          "PORTICO_EDGE_PORT",
          "PORTICO_EDGE_OPS_PORT",
          "PORTICO_CUSTOMER_OPS_PORT",
          "PORTICO_STREAM_PORT",
          "PORTICO_METRICS_PORT",
          "PORTICO_ALARM_PORT"
        }) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    return env;
  }

  @Test
  void shouldRunTheWholeSuiteAndKeepItemsAcrossARestartOnTheSameData() throws Exception {
    Map<String, String> env = env();
    String edge = "http://127.0.0.1:" + env.get("PORTICO_EDGE_PORT");
    try (PorticoLauncher launcher = PorticoLauncher.start(env)) {
      assertEquals(5, launcher.services().size());
      for (String port :
          new String[] {
            "PORTICO_EDGE_OPS_PORT",
            "PORTICO_CUSTOMER_OPS_PORT",
            "PORTICO_STREAM_PORT",
            "PORTICO_METRICS_PORT",
            "PORTICO_ALARM_PORT"
          }) {
        String base = "http://127.0.0.1:" + env.get(port);
        assertEquals(200, Http.get(base + "/ready").statusCode(), port);
        assertEquals(200, Http.get(base + "/health").statusCode(), port);
        HttpResponse<String> metrics = Http.get(base + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), port);
      }
      HttpResponse<String> created =
          Http.postJson(edge + "/prod/customer", FirstRequestEndToEndTest.LAB_ITEM);
      assertEquals(201, created.statusCode(), created.body());
    }

    try (PorticoLauncher again = PorticoLauncher.start(env)) {
      HttpResponse<String> read = Http.get(edge + "/prod/customer/1230AWS");
      assertEquals(200, read.statusCode(), read.body());
      assertEquals(
          FirstRequestEndToEndTest.json(FirstRequestEndToEndTest.LAB_ITEM),
          FirstRequestEndToEndTest.json(read.body()));
    }
  }

  @Test
  void shouldRefuseToStartWithABadValueAndNameTheVariable() {
    Map<String, String> env = env();
    env.put("PORTICO_CUSTOMER_COMMIT_INTERVAL_MS", "soon");
    ConfigException e = assertThrows(ConfigException.class, () -> PorticoLauncher.start(env));
    assertTrue(e.getMessage().contains("PORTICO_CUSTOMER_COMMIT_INTERVAL_MS"), e.getMessage());
  }
}
