package dev.portico.launcher;

import dev.portico.customer.CustomerConfig;
import dev.portico.customer.CustomerService;
import dev.portico.edge.EdgeConfig;
import dev.portico.edge.EdgeService;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The write path under test: an edge and a customer-service on one broker, with free ports. */
final class Suite implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Map<String, String> env = new HashMap<>();
  EdgeService edge;
  CustomerService customers;

  Suite(String bootstrap, String prefix, Path stateDir, long timeoutMs) {
    env.put("PORTICO_KAFKA_BOOTSTRAP", bootstrap);
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_EDGE_PORT", "0");
    env.put("PORTICO_EDGE_OPS_PORT", "0");
    env.put("PORTICO_EDGE_ADMIN_PORT", "0");
    env.put("PORTICO_EDGE_DYNAMODB_PORT", "0");
    env.put("PORTICO_CUSTOMER_OPS_PORT", Integer.toString(FreePorts.next()));
    env.put("PORTICO_CUSTOMER_STATE_DIR", stateDir.toString());
    env.put("PORTICO_EDGE_INTEGRATION_TIMEOUT_MS", Long.toString(timeoutMs));
  }

  /** Sets a variable before {@link #start()}. */
  Suite with(String name, String value) {
    env.put(name, value);
    return this;
  }

  Suite start() {
    startCustomers();
    return startEdge();
  }

  /** Only the edge: for tests that run customer-service elsewhere (e.g. as child processes). */
  Suite startEdge() {
    edge = new EdgeService(vertx, EdgeConfig.read(new ConfigReader(env)));
    await(edge.start());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(edge::isReady);
    return this;
  }

  void startCustomers() {
    customers = new CustomerService(vertx, CustomerConfig.read(new ConfigReader(env)));
    await(customers.start());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(customers::isReady);
  }

  void stopCustomers() {
    await(customers.stop());
  }

  /** The DynamoDB API's endpoint. */
  String dynamoUrl() {
    return "http://127.0.0.1:" + edge.dynamoPort();
  }

  /**
   * DynamoDB's own client (AWS SDK for Java v2) pointed at this suite's DynamoDB API, with any
   * credentials (local mode).
   */
  software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoClient() {
    return software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
        .endpointOverride(java.net.URI.create(dynamoUrl()))
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "local", "local")))
        .httpClient(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                .socketTimeout(java.time.Duration.ofSeconds(20))
                .build())
        .build();
  }

  String url(String path) {
    return "http://127.0.0.1:" + edge.dataPort() + path;
  }

  static void await(io.vertx.core.Future<?> future) {
    try {
      future.await(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (edge != null) {
      await(edge.stop());
    }
    if (customers != null) {
      await(customers.stop());
    }
    await(vertx.close());
  }
}
