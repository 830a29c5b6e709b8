package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portico.runtime.ConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml stays true to the code: every Portico service builds its own module from a
 * Dockerfile, and every PORTICO_* variable it sets is one some config record reads; Prometheus
 * scrapes every service's ops port, Grafana's provisioning fits together, and the dashboards query
 * only metrics the services export; alarm-service mails the compose mail catcher.
 */
class ComposeFileTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyServiceShouldMapToAModuleAndSetOnlyVariablesTheConfigRecordsRead() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    Set<String> known = PorticoLauncher.readServiceConfigs(new ConfigReader(Map.of()));
    Set<String> modules = new TreeSet<>();
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
      JsonNode build = service.getValue().get("build");
      if (build == null) {
        continue; // third-party images (kafka)
      }
      String name = service.getKey();
      modules.add(name);
      assertTrue(Files.isDirectory(ROOT.resolve(name).resolve("src")), name + " is a module");
      String dockerfile = build.get("dockerfile").asText();
      assertTrue(Files.exists(ROOT.resolve(dockerfile)), dockerfile);
      assertEquals(name, build.path("args").path("MODULE").asText(), name + " builds its module");
      JsonNode environment = service.getValue().path("environment");
      environment
          .fieldNames()
          .forEachRemaining(
              variable -> {
                if (variable.startsWith("PORTICO_") && !known.contains(variable)) {
                  unknown.add(name + ": " + variable);
                }
              });
    }
    assertEquals(
        Set.of(
            "edge-service",
            "customer-service",
            "stream-service",
            "metrics-service",
            "alarm-service"),
        modules);
    assertTrue(unknown.isEmpty(), "variables no config record reads: " + unknown);
  }

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode compose() throws IOException {
    return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
  }

  /** Portico's own services (built from a module) and their ops ports (the OPS_PORT build arg). */
  static Map<String, Integer> opsPorts(JsonNode compose) {
    Map<String, Integer> ports = new TreeMap<>();
    for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
      JsonNode build = service.getValue().get("build");
      if (build != null) {
        ports.put(service.getKey(), build.path("args").path("OPS_PORT").asInt());
      }
    }
    return ports;
  }

  /** The service whose image is this repository, with its pinned tag checked. */
  static Map.Entry<String, JsonNode> serviceWithImage(JsonNode compose, String repository) {
    for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
      if (service.getValue().path("image").asText().startsWith(repository + ":")) {
        return service;
      }
    }
    throw new AssertionError("docker-compose.yml has no service with image " + repository);
  }

  /** Bind mounts ("./host/path:/container/path[:ro]") of a service: container path to host path. */
  static Map<String, Path> bindMounts(JsonNode service) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (JsonNode volume : service.path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[0].startsWith("./")) {
        mounts.put(parts[1], ROOT.resolve(parts[0]).normalize());
      }
    }
    return mounts;
  }

  /** The value a "${VAR:-default}" or literal compose value takes with nothing set in the shell. */
  static String defaultValue(String value) {
    Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}").matcher(value);
    return m.matches() ? m.group(1) : value;
  }

  @Test
  void thirdPartyImagesShouldBePinnedAndBindMountsShouldExist() throws Exception {
    JsonNode compose = compose();
    Set<String> images = new TreeSet<>();
    for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
      String image = service.getValue().path("image").asText();
      if (!image.isEmpty()) {
        images.add(image.replaceAll(":.*", ""));
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertFalse(
            tag.isEmpty() || tag.equals("latest"), service.getKey() + " pins its image: " + image);
      }
      for (Map.Entry<String, Path> mount : bindMounts(service.getValue()).entrySet()) {
        assertTrue(
            Files.exists(mount.getValue()),
            service.getKey() + " mounts " + mount.getValue() + ", which does not exist");
      }
    }
    assertTrue(images.contains("prom/prometheus"), "Prometheus in compose: " + images);
    assertTrue(images.contains("grafana/grafana"), "Grafana in compose: " + images);
    assertTrue(images.contains("axllent/mailpit"), "a mail catcher in compose: " + images);
  }

  @Test
  void prometheusShouldScrapeEveryServicesOpsPort() throws Exception {
    JsonNode compose = compose();
    Map.Entry<String, JsonNode> prometheus = serviceWithImage(compose, "prom/prometheus");
    Path config = bindMounts(prometheus.getValue()).get("/etc/prometheus/prometheus.yml");
    assertNotNull(config, "prometheus mounts its configuration at /etc/prometheus/prometheus.yml");
    Set<String> targets = new TreeSet<>();
    for (JsonNode job : YAML.readTree(config.toFile()).path("scrape_configs")) {
      if (!job.path("metrics_path").asText("/metrics").equals("/metrics")) {
        continue;
      }
      for (JsonNode group : job.path("static_configs")) {
        group.path("targets").forEach(t -> targets.add(t.asText()));
      }
    }
    Map<String, Integer> ops = opsPorts(compose);
    assertEquals(5, ops.size(), "five Portico services: " + ops);
    for (Map.Entry<String, Integer> service : ops.entrySet()) {
      String name = service.getKey();
      int port = service.getValue();
      assertTrue(targets.contains(name + ":" + port), "Prometheus scrapes " + name + ":" + port);
      // The ops port really is the one the service is told to serve /metrics on.
      boolean configured = false;
      for (Map.Entry<String, JsonNode> variable :
          compose.path("services").path(name).path("environment").properties()) {
        configured |=
            variable.getKey().startsWith("PORTICO_")
                && variable.getKey().endsWith("_PORT")
                && variable.getValue().asText().equals(Integer.toString(port));
      }
      assertTrue(configured, name + " sets a PORTICO_*_PORT variable to its ops port " + port);
    }
  }

  @Test
  void grafanaProvisioningShouldBeConsistent() throws Exception {
    JsonNode compose = compose();
    String prometheus = serviceWithImage(compose, "prom/prometheus").getKey();
    Map.Entry<String, JsonNode> grafana = serviceWithImage(compose, "grafana/grafana");
    Map<String, Path> mounts = bindMounts(grafana.getValue());
    Path provisioning = mounts.get("/etc/grafana/provisioning");
    assertNotNull(provisioning, "grafana mounts its provisioning at /etc/grafana/provisioning");
    JsonNode environment = grafana.getValue().path("environment");
    assertEquals("true", environment.path("GF_AUTH_ANONYMOUS_ENABLED").asText());
    assertEquals("Viewer", environment.path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText());
    assertFalse(
        defaultValue(environment.path("GF_SECURITY_ADMIN_PASSWORD").asText()).isEmpty(),
        "the admin password comes from the environment, with a default");

    // The datasource: the compose Prometheus, under a fixed uid.
    Set<String> datasourceUids = new HashSet<>();
    try (Stream<Path> files = Files.list(provisioning.resolve("datasources"))) {
      for (Path file : files.toList()) {
        for (JsonNode ds : YAML.readTree(file.toFile()).path("datasources")) {
          if (ds.path("type").asText().equals("prometheus")) {
            assertEquals("http://" + prometheus + ":9090", ds.path("url").asText());
            datasourceUids.add(ds.path("uid").asText());
          }
        }
      }
    }
    assertFalse(datasourceUids.isEmpty(), "a provisioned Prometheus datasource");

    // The dashboard providers: each reads a mounted directory of dashboards.
    List<Path> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(provisioning.resolve("dashboards"))) {
      for (Path file : files.toList()) {
        for (JsonNode provider : YAML.readTree(file.toFile()).path("providers")) {
          String path = provider.path("options").path("path").asText();
          Path host = mounts.get(path);
          assertNotNull(host, "the dashboard provider's path " + path + " is a bind mount");
          try (Stream<Path> json = Files.list(host)) {
            json.filter(p -> p.toString().endsWith(".json")).forEach(dashboards::add);
          }
        }
      }
    }
    String home = environment.path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    if (!home.isEmpty()) {
      String dir = home.substring(0, home.lastIndexOf('/'));
      assertNotNull(mounts.get(dir), "the home dashboard is in a mounted directory: " + home);
      assertTrue(Files.exists(mounts.get(dir).resolve(home.substring(dir.length() + 1))), home);
    }

    Set<String> titles = new TreeSet<>();
    Set<String> uids = new HashSet<>();
    for (Path file : dashboards) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      titles.add(dashboard.path("title").asText());
      assertTrue(uids.add(dashboard.path("uid").asText()), "unique dashboard uid in " + file);
      boolean datasourceVariable = false;
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        datasourceVariable |=
            variable.path("type").asText().equals("datasource")
                && variable.path("name").asText().equals("datasource")
                && variable.path("query").asText().equals("prometheus");
      }
      assertTrue(datasourceVariable, file + " has a Prometheus `datasource` variable");
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode ds : List.of(panel.path("datasource"), panel.path("targets"))) {
          List<JsonNode> refs = new ArrayList<>();
          if (ds.isArray()) {
            ds.forEach(t -> refs.add(t.path("datasource")));
          } else {
            refs.add(ds);
          }
          for (JsonNode ref : refs) {
            String uid = ref.path("uid").asText();
            assertTrue(
                uid.equals("${datasource}") || datasourceUids.contains(uid),
                file.getFileName() + " panel '" + panel.path("title").asText() + "' uses " + ref);
          }
        }
        assertFalse(
            panel.path("targets").isEmpty(), "panel '" + panel.path("title").asText() + "'");
      }
    }
    assertTrue(titles.containsAll(Set.of("Portico gateway", "Portico backends")), "" + titles);
  }

  /** Every non-row panel, including those inside collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  static final Set<String> PROMQL_WORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  /** Metric names a PromQL expression reads (labels, functions and keywords removed). */
  static Set<String> metricNames(String expr) {
    String e =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^\\]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()").matcher(e);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Meter names in the services' main sources, as Prometheus spells them (dots to underscores). */
  static Set<String> meterNamesInCode(Set<String> modules) throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(portico[._][a-z0-9._]+)\"");
    for (String module : modules) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        files
            .filter(p -> p.toString().endsWith(".java"))
            .forEach(
                p -> {
                  try {
                    Matcher m = literal.matcher(Files.readString(p));
                    while (m.find()) {
                      names.add(m.group(1).replace('.', '_'));
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
    return names;
  }

  @Test
  void dashboardsShouldQueryOnlyMetricsTheServicesExport() throws Exception {
    JsonNode compose = compose();
    Set<String> modules = new TreeSet<>(opsPorts(compose).keySet());
    modules.add("service-runtime");
    Set<String> meters = meterNamesInCode(modules);
    Map.Entry<String, JsonNode> grafana = serviceWithImage(compose, "grafana/grafana");
    Map<String, Path> mounts = bindMounts(grafana.getValue());
    List<String> missing = new ArrayList<>();
    int queries = 0;
    for (Path dir : mounts.values()) {
      if (!Files.isDirectory(dir) || dir.endsWith("provisioning")) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
          JsonNode dashboard = JSON.readTree(file.toFile());
          List<String> exprs = new ArrayList<>();
          for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
          }
          for (JsonNode variable : dashboard.path("templating").path("list")) {
            String definition = variable.path("definition").asText();
            Matcher m = Pattern.compile("label_values\\((.*),[^,]*\\)").matcher(definition);
            if (m.matches()) {
              exprs.add(m.group(1));
            }
          }
          for (String expr : exprs) {
            queries++;
            Set<String> names = metricNames(expr);
            assertFalse(names.isEmpty(), file.getFileName() + ": no metric in " + expr);
            for (String name : names) {
              if (!exported(name, meters)) {
                missing.add(file.getFileName() + ": " + name);
              }
            }
          }
        }
      }
    }
    assertTrue(queries > 10, "the dashboards have queries: " + queries);
    assertTrue(missing.isEmpty(), "metrics no service exports: " + missing);
  }

  /**
   * A Portico meter the code registers (Micrometer's Prometheus suffixes removed), a metric of the
   * binders every service registers (JVM, processor, Kafka clients and Streams; checked against
   * live /metrics when the dashboards change), or Prometheus' own {@code up}.
   */
  static boolean exported(String name, Set<String> meters) {
    if (name.startsWith("portico_")) {
      for (String suffix :
          List.of("", "_total", "_seconds_count", "_seconds_sum", "_seconds_max", "_seconds")) {
        if (name.endsWith(suffix)
            && meters.contains(name.substring(0, name.length() - suffix.length()))) {
          return true;
        }
      }
      return false;
    }
    return name.equals("up")
        || name.startsWith("jvm_")
        || name.startsWith("process_cpu_")
        || name.startsWith("system_cpu_")
        || name.startsWith("kafka_stream_thread_");
  }

  @Test
  void alarmServiceShouldMailTheMailCatcher() throws Exception {
    JsonNode compose = compose();
    Map.Entry<String, JsonNode> mailpit = serviceWithImage(compose, "axllent/mailpit");
    JsonNode alarm = compose.path("services").path("alarm-service").path("environment");
    assertEquals(mailpit.getKey(), defaultValue(alarm.path("PORTICO_SMTP_HOST").asText()));
    String smtpPort = defaultValue(alarm.path("PORTICO_SMTP_PORT").asText());
    assertEquals("1025", smtpPort, "Mailpit's SMTP port");
    assertEquals("off", defaultValue(alarm.path("PORTICO_SMTP_STARTTLS").asText()));
    Set<String> published = new TreeSet<>();
    mailpit.getValue().path("ports").forEach(p -> published.add(p.asText()));
    assertTrue(published.contains("8025:8025"), "Mailpit's web UI is published: " + published);
  }
}
