package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.portico.runtime.ConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s stays true to the code: the five services with the images deploy/service.Dockerfile
 * builds (its user, its state directory, the ops port compose builds each with), probes on /ready
 * and /health of the port each service serves them on, Prometheus annotations on that port, volumes
 * where the stateful services keep their state, a PodDisruptionBudget each, and only PORTICO_*
 * variables that a config record reads and README's configuration table lists; the Strimzi example
 * gives what the base expects (listener, user, secrets, broker settings).
 */
class KubernetesManifestsTest {
  static final Path K8S = ComposeFileTest.ROOT.resolve("deploy/k8s");
  static final Map<String, String> STATE_DIR_VARIABLES =
      Map.of(
          "customer-service", "PORTICO_CUSTOMER_STATE_DIR",
          "metrics-service", "PORTICO_METRICS_STATE_DIR",
          "alarm-service", "PORTICO_ALARM_STATE_DIR");

  /** Every document of the kustomization's resources (files and directories, recursively). */
  static List<JsonNode> resources(Path kustomizationDir) throws IOException {
    JsonNode kustomization = yaml(kustomizationDir.resolve("kustomization.yaml")).get(0);
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = kustomizationDir.resolve(resource.asText()).normalize();
      assertTrue(Files.exists(path), kustomizationDir + " lists " + path + ", which is missing");
      if (Files.isDirectory(path)) {
        documents.addAll(resources(path));
      } else {
        documents.addAll(yaml(path));
      }
    }
    return documents;
  }

  static List<JsonNode> yaml(Path file) throws IOException {
    try (MappingIterator<JsonNode> docs =
        ComposeFileTest.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> all = new ArrayList<>();
      docs.forEachRemaining(
          d -> {
            if (!d.isNull() && !d.isEmpty()) {
              all.add(d);
            }
          });
      return all;
    }
  }

  /** The generated ConfigMaps' and Secrets' literals of a kustomization: name to key to value. */
  static Map<String, Map<String, String>> generated(Path kustomizationDir, String generator)
      throws IOException {
    Map<String, Map<String, String>> maps = new TreeMap<>();
    JsonNode kustomization = yaml(kustomizationDir.resolve("kustomization.yaml")).get(0);
    for (JsonNode map : kustomization.path(generator)) {
      Map<String, String> literals = new TreeMap<>();
      for (JsonNode literal : map.path("literals")) {
        String[] kv = literal.asText().split("=", 2);
        literals.put(kv[0], kv[1]);
      }
      maps.put(map.path("name").asText(), literals);
    }
    return maps;
  }

  static List<JsonNode> ofKind(List<JsonNode> docs, String... kinds) {
    Set<String> wanted = Set.of(kinds);
    return docs.stream().filter(d -> wanted.contains(d.path("kind").asText())).toList();
  }

  static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText();
  }

  static JsonNode container(JsonNode workload) {
    JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size(), name(workload) + " runs one container");
    return containers.get(0);
  }

  static Map<String, String> literalEnv(JsonNode container) {
    Map<String, String> env = new TreeMap<>();
    for (JsonNode variable : container.path("env")) {
      env.put(variable.path("name").asText(), variable.path("value").asText(null));
    }
    return env;
  }

  static int port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError(container.path("name").asText() + " has no port named " + name);
  }

  @Test
  void everyServiceRunsTheImageTheDockerfileBuildsWithProbesOnItsOpsPort() throws Exception {
    List<JsonNode> docs = resources(K8S.resolve("base"));
    Map<String, Integer> composeOps = ComposeFileTest.opsPorts(ComposeFileTest.compose());
    String dockerfile = Files.readString(ComposeFileTest.ROOT.resolve("deploy/service.Dockerfile"));
    Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(dockerfile);
    assertTrue(uid.find(), "the Dockerfile creates its user with a fixed uid");
    assertTrue(dockerfile.contains("EXPOSE ${OPS_PORT}"), "the image exposes its ops port");
    assertTrue(dockerfile.contains("mkdir -p /app/state"), "the image has /app/state");

    Set<String> workloads = new TreeSet<>();
    for (JsonNode workload : ofKind(docs, "Deployment", "StatefulSet")) {
      String service = name(workload);
      workloads.add(service);
      JsonNode pod = workload.path("spec").path("template");
      JsonNode c = container(workload);
      assertTrue(
          c.path("image").asText().matches("portico/" + Pattern.quote(service) + ":[\\w.-]+"),
          service + " runs portico/" + service + ":<tag>, as built from its module: " + c);
      assertTrue(Files.isDirectory(ComposeFileTest.ROOT.resolve(service).resolve("src")));
      assertEquals(
          Integer.parseInt(uid.group(1)),
          pod.path("spec").path("securityContext").path("runAsUser").asInt(),
          service + " runs as the image's user");

      int ops = port(c, "ops");
      assertEquals(composeOps.get(service), ops, service + ": the ops port the image is built for");
      assertTrue(
          literalEnv(c).entrySet().stream()
              .anyMatch(
                  e ->
                      e.getKey().startsWith("PORTICO_")
                          && e.getKey().endsWith("_PORT")
                          && Integer.toString(ops).equals(e.getValue())),
          service + " tells the service to serve its ops port " + ops);
      assertEquals("/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
      assertEquals("ops", c.path("readinessProbe").path("httpGet").path("port").asText());
      assertEquals("/health", c.path("livenessProbe").path("httpGet").path("path").asText());
      assertEquals("ops", c.path("livenessProbe").path("httpGet").path("port").asText());
      JsonNode annotations = pod.path("metadata").path("annotations");
      assertEquals("true", annotations.path("prometheus.io/scrape").asText(), service);
      assertEquals(Integer.toString(ops), annotations.path("prometheus.io/port").asText());
      assertEquals("/metrics", annotations.path("prometheus.io/path").asText());
      assertFalse(c.path("resources").path("requests").path("memory").isMissingNode(), service);
      assertFalse(c.path("resources").path("limits").path("memory").isMissingNode(), service);

      String stateVariable = STATE_DIR_VARIABLES.get(service);
      if (stateVariable != null) {
        assertEquals("StatefulSet", workload.path("kind").asText(), service + " keeps state");
        String stateDir = literalEnv(c).get(stateVariable);
        assertEquals("/app/state", stateDir, service + ": the image's state directory");
        assertMountedClaim(workload, c, stateDir);
      }

      Map<String, String> labels = mapOf(pod.path("metadata").path("labels"));
      boolean budget =
          ofKind(docs, "PodDisruptionBudget").stream()
              .anyMatch(
                  pdb ->
                      labels
                          .entrySet()
                          .containsAll(
                              mapOf(pdb.path("spec").path("selector").path("matchLabels"))
                                  .entrySet()));
      assertTrue(budget, service + " has a PodDisruptionBudget");
    }
    assertEquals(composeOps.keySet(), workloads, "the five services");

    JsonNode edge = container(named(docs, "StatefulSet", "edge-service"));
    assertEquals(
        "metadata.labels['apps.kubernetes.io/pod-index']",
        envNamed(edge, "PORTICO_EDGE_INSTANCE")
            .path("valueFrom")
            .path("fieldRef")
            .path("fieldPath")
            .asText(),
        "each edge pod's instance id is its pod index");
  }

  private static void assertMountedClaim(JsonNode workload, JsonNode c, String path) {
    String claim =
        workload
            .path("spec")
            .path("volumeClaimTemplates")
            .path(0)
            .path("metadata")
            .path("name")
            .asText();
    assertFalse(claim.isEmpty(), name(workload) + " claims a persistent volume");
    boolean mounted = false;
    for (JsonNode mount : c.path("volumeMounts")) {
      mounted |=
          mount.path("name").asText().equals(claim)
              && mount.path("mountPath").asText().equals(path);
    }
    assertTrue(mounted, name(workload) + " mounts its volume at " + path);
  }

  @Test
  void servicesSelectWorkloadsAndTheirNamedPorts() throws Exception {
    List<JsonNode> docs = new ArrayList<>(resources(K8S.resolve("overlays/local")));
    for (JsonNode service : ofKind(docs, "Service")) {
      Map<String, String> selector = mapOf(service.path("spec").path("selector"));
      JsonNode target =
          ofKind(docs, "Deployment", "StatefulSet").stream()
              .filter(
                  w ->
                      mapOf(w.path("spec").path("template").path("metadata").path("labels"))
                          .entrySet()
                          .containsAll(selector.entrySet()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name(service) + " selects no workload"));
      for (JsonNode port : service.path("spec").path("ports")) {
        port(container(target), port.path("targetPort").asText());
      }
    }
    for (JsonNode set : ofKind(docs, "StatefulSet")) {
      String governing = set.path("spec").path("serviceName").asText();
      assertTrue(
          ofKind(docs, "Service").stream().anyMatch(s -> name(s).equals(governing)),
          name(set) + "'s serviceName " + governing + " exists");
    }
  }

  @Test
  void everyPorticoVariableIsOneTheCodeReadsAndTheReadmeDocuments() throws Exception {
    Set<String> known = PorticoLauncher.readServiceConfigs(new ConfigReader(Map.of()));
    String readme = ReadmeTest.readme();
    Set<String> set = new TreeSet<>();
    for (Path dir : List.of(K8S.resolve("base"), K8S.resolve("overlays/local"))) {
      generated(dir, "configMapGenerator").values().forEach(m -> set.addAll(m.keySet()));
      for (JsonNode workload : ofKind(resources(dir), "Deployment", "StatefulSet")) {
        for (JsonNode variable : container(workload).path("env")) {
          set.add(variable.path("name").asText());
        }
      }
    }
    set.removeIf(name -> !name.startsWith("PORTICO_"));
    assertTrue(set.size() > 20, "the manifests set many variables: " + set);
    for (String variable : set) {
      assertTrue(known.contains(variable), variable + " is read by no config record");
      assertTrue(
          readme.contains("| `" + variable + "` |"), "README configuration lacks " + variable);
    }
  }

  @Test
  void everyConfigMapAndRequiredSecretIsProvided() throws Exception {
    Set<String> configMaps = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    for (Path dir : List.of(K8S.resolve("base"), K8S.resolve("overlays/local"))) {
      configMaps.addAll(generated(dir, "configMapGenerator").keySet());
      secrets.addAll(generated(dir, "secretGenerator").keySet());
    }
    for (JsonNode workload :
        ofKind(resources(K8S.resolve("overlays/local")), "Deployment", "StatefulSet")) {
      JsonNode c = container(workload);
      for (JsonNode from : c.path("envFrom")) {
        JsonNode ref = from.path("configMapRef");
        if (!ref.isMissingNode() && !ref.path("optional").asBoolean()) {
          assertTrue(configMaps.contains(ref.path("name").asText()), name(workload) + ": " + ref);
        }
      }
      for (JsonNode variable : c.path("env")) {
        JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
        if (!ref.isMissingNode() && !ref.path("optional").asBoolean()) {
          assertTrue(secrets.contains(ref.path("name").asText()), name(workload) + ": " + ref);
        }
      }
    }
  }

  @Test
  void theStrimziExampleGivesWhatTheBaseExpects() throws Exception {
    List<JsonNode> strimzi = yaml(K8S.resolve("strimzi/kafka.yaml"));
    JsonNode kafka = named(strimzi, "Kafka", null);
    JsonNode user = named(strimzi, "KafkaUser", null);
    Map<String, String> connection =
        generated(K8S.resolve("base"), "configMapGenerator").get("portico-kafka");
    Map<String, String> config =
        generated(K8S.resolve("base"), "configMapGenerator").get("portico-config");

    String[] bootstrap = connection.get("PORTICO_KAFKA_BOOTSTRAP").split(":");
    assertEquals(name(kafka) + "-kafka-bootstrap", bootstrap[0], "Strimzi's bootstrap Service");
    JsonNode listener = null;
    for (JsonNode l : kafka.path("spec").path("kafka").path("listeners")) {
      if (l.path("port").asText().equals(bootstrap[1])) {
        listener = l;
      }
    }
    assertNotNull(listener, "a listener on port " + bootstrap[1]);
    assertTrue(listener.path("tls").asBoolean(), "TLS, as PORTICO_KAFKA_SECURITY_PROTOCOL says");
    assertEquals("SASL_SSL", connection.get("PORTICO_KAFKA_SECURITY_PROTOCOL"));
    assertEquals(
        connection.get("PORTICO_KAFKA_SASL_MECHANISM").toLowerCase(),
        listener.path("authentication").path("type").asText());
    assertEquals(name(user), connection.get("PORTICO_KAFKA_SASL_USERNAME"));
    assertEquals(
        listener.path("authentication").path("type").asText(),
        user.path("spec").path("authentication").path("type").asText());

    // The Secrets Strimzi creates are the ones the workloads mount and read.
    for (JsonNode workload : ofKind(resources(K8S.resolve("base")), "Deployment", "StatefulSet")) {
      JsonNode c = container(workload);
      assertEquals(
          name(user),
          envNamed(c, "PORTICO_KAFKA_SASL_PASSWORD")
              .path("valueFrom")
              .path("secretKeyRef")
              .path("name")
              .asText());
      String caFile = connection.get("PORTICO_KAFKA_TLS_CA_FILE");
      boolean caMounted = false;
      for (JsonNode mount : c.path("volumeMounts")) {
        if (caFile.equals(mount.path("mountPath").asText() + "/ca.crt")) {
          for (JsonNode volume :
              workload.path("spec").path("template").path("spec").path("volumes")) {
            caMounted |=
                volume.path("name").asText().equals(mount.path("name").asText())
                    && volume
                        .path("secret")
                        .path("secretName")
                        .asText()
                        .equals(name(kafka) + "-cluster-ca-cert");
          }
        }
      }
      assertTrue(caMounted, name(workload) + " mounts Strimzi's cluster CA at " + caFile);
    }

    JsonNode brokerConfig = kafka.path("spec").path("kafka").path("config");
    assertEquals(1, brokerConfig.path("add.partitions.to.txn.retry.backoff.ms").asInt());
    assertEquals(3, brokerConfig.path("transaction.state.log.replication.factor").asInt());
    assertEquals(2, brokerConfig.path("transaction.state.log.min.isr").asInt());
    assertEquals(2, brokerConfig.path("min.insync.replicas").asInt());
    assertFalse(brokerConfig.path("auto.create.topics.enable").asBoolean(true));
    int brokers = named(strimzi, "KafkaNodePool", null).path("spec").path("replicas").asInt();
    assertTrue(
        Integer.parseInt(config.get("PORTICO_TOPIC_REPLICATION")) <= brokers,
        "topics cannot have more replicas than brokers");
  }

  static JsonNode named(List<JsonNode> docs, String kind, String name) {
    return ofKind(docs, kind).stream()
        .filter(d -> name == null || name(d).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static JsonNode envNamed(JsonNode container, String variable) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(variable)) {
        return e;
      }
    }
    throw new AssertionError(container.path("name").asText() + " does not set " + variable);
  }

  static Map<String, String> mapOf(JsonNode object) {
    Map<String, String> map = new TreeMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
