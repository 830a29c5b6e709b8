package dev.portico.edge;

import dev.portico.contracts.edge.ThrottleSettings;
import dev.portico.edge.admin.GatewayAdmin;
import dev.portico.edge.dynamo.AccessKeys;
import dev.portico.edge.observe.DashboardSources;
import dev.portico.edge.policy.Cidr;
import dev.portico.edge.tls.ServerTls;
import dev.portico.edge.websocket.WebSocketLimits;
import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * edge-service configuration.
 *
 * @param data {@code PORTICO_EDGE_PORT} (8080): the data plane
 * @param ops {@code PORTICO_EDGE_OPS_PORT} (8090): /health, /ready, /metrics
 * @param admin {@code PORTICO_EDGE_ADMIN_HOST} (127.0.0.1) and {@code PORTICO_EDGE_ADMIN_PORT}
 *     (8081): the admin API
 * @param tls {@code PORTICO_EDGE_TLS_CERT_FILE} and {@code PORTICO_EDGE_TLS_KEY_FILE}: the PEM
 *     certificate chain and key the data plane and the admin API serve HTTPS with (reloaded when
 *     the files change); neither set = plain HTTP (see {@link ServerTls})
 * @param trustedProxies {@code PORTICO_EDGE_TRUSTED_PROXIES} (none): load balancers (addresses or
 *     CIDR networks) whose {@code X-Forwarded-Proto/Host/Port} reach http backends unchanged
 * @param adminToken {@code PORTICO_EDGE_ADMIN_TOKEN}: the admin API's Bearer token; empty = admin
 *     API off
 * @param instance {@code PORTICO_EDGE_INSTANCE} (0): this replica's reply partition; distinct per
 *     replica, below the reply topic's partition count
 * @param integrationTimeout {@code PORTICO_EDGE_INTEGRATION_TIMEOUT_MS} (29000): default per-route
 *     timeout
 * @param maxIntegrationTimeout {@code PORTICO_EDGE_MAX_INTEGRATION_TIMEOUT_MS} (29000, up to
 *     300000): the longest timeout a route may set
 * @param apiFiles {@code PORTICO_EDGE_API_FILE}: comma-separated OpenAPI documents to import and
 *     deploy at start-up; empty = the bundled customer-api
 * @param stages {@code PORTICO_EDGE_STAGES} (dev,test,prod): stages the start-up APIs are deployed
 *     to when those stages do not exist yet
 * @param httpPoolSize {@code PORTICO_EDGE_HTTP_POOL_SIZE} (64): pooled connections per HTTP
 *     backend, shared out among the data-plane event loops
 * @param httpWaitQueue {@code PORTICO_EDGE_HTTP_WAIT_QUEUE} (1024): requests that may wait for a
 *     pooled connection before 503
 * @param throttle {@code PORTICO_EDGE_THROTTLE_RATE} (10000) and {@code
 *     PORTICO_EDGE_THROTTLE_BURST} (5000): the gateway-wide limit, for the whole cluster
 * @param usageFlush {@code PORTICO_EDGE_USAGE_FLUSH_MS} (200): how often a replica publishes its
 *     API-key usage; bounds how far a quota can be overrun across replicas
 * @param requestEventBuffer {@code PORTICO_EDGE_REQUEST_EVENTS_BUFFER} (10000): request events
 *     queued for Kafka before new ones are dropped (and counted)
 * @param eventLoops {@code PORTICO_EDGE_EVENT_LOOPS} (the number of cores): data-plane event loops
 * @param httpIdleTimeout {@code PORTICO_EDGE_HTTP_IDLE_TIMEOUT_MS} (60000): idle keep-alive
 *     connections and stalled clients (slow loris) are closed after this; WebSockets are pinged
 *     well within it
 * @param webSocket the WebSocket limits ({@code PORTICO_EDGE_WS_*}, see {@link WebSocketLimits})
 * @param dashboard where the dashboard reads alarms and datapoints ({@code
 *     PORTICO_EDGE_DASHBOARD_*}, see {@link DashboardSources})
 * @param dynamo {@code PORTICO_EDGE_DYNAMODB_PORT} (8000, DynamoDB Local's): the DynamoDB API
 * @param dynamoAccessKeys {@code PORTICO_DYNAMODB_ACCESS_KEYS} (none): comma-separated {@code
 *     accessKeyId:secretAccessKey} pairs; with any, DynamoDB API requests must carry a valid
 *     Signature Version 4 by one of them; without, any credentials pass (local mode)
 */
public record EdgeConfig(
    KafkaSettings kafka,
    HttpEndpoint data,
    HttpEndpoint ops,
    HttpEndpoint admin,
    ServerTls tls,
    List<Cidr> trustedProxies,
    String adminToken,
    int instance,
    Duration integrationTimeout,
    Duration maxIntegrationTimeout,
    List<String> apiFiles,
    List<String> stages,
    int httpPoolSize,
    int httpWaitQueue,
    ThrottleSettings throttle,
    Duration usageFlush,
    int requestEventBuffer,
    int eventLoops,
    Duration httpIdleTimeout,
    WebSocketLimits webSocket,
    DashboardSources dashboard,
    HttpEndpoint dynamo,
    AccessKeys dynamoAccessKeys) {

  public static EdgeConfig read(ConfigReader env) {
    List<String> stages = list(env.string("PORTICO_EDGE_STAGES", "dev,test,prod"));
    for (String stage : stages) {
      if (!stage.matches(GatewayAdmin.STAGE_NAME)) {
        throw new ConfigException(
            "Invalid value for PORTICO_EDGE_STAGES: stage '"
                + stage
                + "' (expected names of 1-128 of A-Z a-z 0-9 _ -)");
      }
    }
    Duration max =
        env.millis(
            "PORTICO_EDGE_MAX_INTEGRATION_TIMEOUT_MS",
            Duration.ofMillis(29_000),
            Duration.ofMillis(50),
            Duration.ofMillis(300_000));
    return new EdgeConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_EDGE_PORT", 8080),
        HttpEndpoint.read(env, "PORTICO_EDGE_OPS_PORT", 8090),
        new HttpEndpoint(
            env.string("PORTICO_EDGE_ADMIN_HOST", "127.0.0.1"),
            env.port("PORTICO_EDGE_ADMIN_PORT", 8081)),
        ServerTls.read(env),
        cidrs(env, "PORTICO_EDGE_TRUSTED_PROXIES"),
        env.string("PORTICO_EDGE_ADMIN_TOKEN", ""),
        env.integer("PORTICO_EDGE_INSTANCE", 0, 0, 9_999),
        env.millis(
            "PORTICO_EDGE_INTEGRATION_TIMEOUT_MS",
            Duration.ofMillis(29_000),
            Duration.ofMillis(50),
            max),
        max,
        list(env.string("PORTICO_EDGE_API_FILE", "")),
        stages,
        env.integer("PORTICO_EDGE_HTTP_POOL_SIZE", 64, 1, 10_000),
        env.integer("PORTICO_EDGE_HTTP_WAIT_QUEUE", 1_024, 0, 1_000_000),
        new ThrottleSettings(
            env.integer("PORTICO_EDGE_THROTTLE_RATE", 10_000, 1, 10_000_000),
            env.integer("PORTICO_EDGE_THROTTLE_BURST", 5_000, 1, 10_000_000)),
        env.millis(
            "PORTICO_EDGE_USAGE_FLUSH_MS",
            Duration.ofMillis(200),
            Duration.ofMillis(10),
            Duration.ofMillis(10_000)),
        env.integer("PORTICO_EDGE_REQUEST_EVENTS_BUFFER", 10_000, 1, 10_000_000),
        env.integer("PORTICO_EDGE_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
        env.millis(
            "PORTICO_EDGE_HTTP_IDLE_TIMEOUT_MS",
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofHours(1)),
        WebSocketLimits.read(env),
        DashboardSources.read(env),
        HttpEndpoint.read(env, "PORTICO_EDGE_DYNAMODB_PORT", 8000),
        accessKeys(env.string("PORTICO_DYNAMODB_ACCESS_KEYS", "")));
  }

  private static AccessKeys accessKeys(String value) {
    java.util.Map<String, String> keys = new LinkedHashMap<>();
    for (String pair : list(value)) {
      int colon = pair.indexOf(':');
      if (colon < 1 || colon == pair.length() - 1) {
        throw new ConfigException(
            "Invalid value for PORTICO_DYNAMODB_ACCESS_KEYS: expected accessKeyId:secretAccessKey"
                + " pairs separated by commas");
      }
      keys.put(pair.substring(0, colon), pair.substring(colon + 1));
    }
    return new AccessKeys(keys);
  }

  private static List<Cidr> cidrs(ConfigReader env, String name) {
    String value = env.string(name, "");
    try {
      return list(value).stream().map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid value for "
              + name
              + ": '"
              + value
              + "' (expected comma-separated IP addresses or CIDR networks; "
              + e.getMessage()
              + ")");
    }
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
