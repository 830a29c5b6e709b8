package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestCertificates;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge serving HTTPS from PEM files: REST to curl ({@code --cacert}) and the JDK's client,
 * HTTP/2 by ALPN, the admin API, {@code wss://}, {@code X-Forwarded-Proto} to an http backend, and
 * a renewed certificate served while requests run, without a restart.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class HttpsTest {
  Path dir;
  TestCertificates ca;
  SSLContext trust;
  Path certFile;
  Path keyFile;
  Edge edge;

  /** A plain-HTTP replica behind a load balancer on 127.0.0.1 that terminates TLS. */
  Edge behindBalancer;

  Vertx backendVertx = Vertx.vertx();
  HttpServer backend;

  @BeforeAll
  void start(TestKafka kafka, @TempDir Path dir) throws Exception {
    this.dir = dir;
    ca = TestCertificates.authority(dir, "edge");
    trust = trusting(ca.caFile());
    TestCertificates.Identity first = ca.server("edge-one");
    certFile = dir.resolve("tls.crt");
    keyFile = dir.resolve("tls.key");
    Files.copy(first.certificate(), certFile);
    Files.copy(first.key(), keyFile);
    backend =
        backendVertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  JsonObject seen = new JsonObject();
                  req.headers().forEach(h -> seen.put(h.getKey().toLowerCase(), h.getValue()));
                  req.response().putHeader("content-type", "application/json").end(seen.encode());
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    String prefix = kafka.freshPrefix();
    edge =
        new Edge(kafka, prefix).https(certFile, keyFile, trust, HttpClient.Version.HTTP_2).start();
    Admin admin = new Admin(edge);
    admin.importApi(
        "secure",
        """
        openapi: 3.0.3
        info: {title: secure}
        paths:
          /hello:
            get:
              x-portico-integration: {type: mock, body: hello}
          /backend:
            get:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/seen"}
        x-portico-websocket:
          routes:
            whoami:
              x-portico-integration: {type: mock, body: me}
              routeResponse: true
        """
            .formatted(backend.actualPort()));
    admin.deploy("secure", "secure");
    behindBalancer =
        new Edge(kafka, prefix)
            .with("PORTICO_EDGE_INSTANCE", "1")
            .with("PORTICO_EDGE_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
            .start();
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> behindBalancer.service.serving().stage("secure") != null);
  }

  @AfterAll
  void stop() throws Exception {
    if (behindBalancer != null) {
      behindBalancer.close();
    }
    edge.close();
    backendVertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldServeCurlWithTheCaOverHttp2AndRefuseItWithout() throws Exception {
    String url = "https://localhost:" + edge.service.dataPort() + "/secure/hello";
    Run trusted =
        run("curl", "-sS", "--cacert", ca.caFile().toString(), "-w", " %{http_version}", url);
    assertEquals(0, trusted.exit(), trusted.output());
    assertEquals("hello 2", trusted.output());

    Run http11 =
        run(
            "curl",
            "-sS",
            "--http1.1",
            "--tlsv1.2",
            "--tls-max",
            "1.2",
            "--cacert",
            ca.caFile().toString(),
            "-w",
            " %{http_version}",
            url);
    assertEquals(0, http11.exit(), http11.output());
    assertEquals("hello 1.1", http11.output());

    Run untrusted = run("curl", "-sS", url);
    assertEquals(60, untrusted.exit(), untrusted.output()); // peer certificate not verified

    Run plain = run("curl", "-sS", url.replace("https:", "http:"));
    assertNotEquals(0, plain.exit(), plain.output());
  }

  @Test
  void shouldNegotiateHttp2WithTheJdkClientAndTls13ByDefault() throws Exception {
    HttpResponse<String> h2 = edge.get("/secure/hello");
    assertEquals(200, h2.statusCode(), h2.body());
    assertEquals("hello", h2.body());
    assertEquals(HttpClient.Version.HTTP_2, h2.version());
    assertEquals("TLSv1.3", h2.sslSession().orElseThrow().getProtocol());

    HttpClient http11 =
        HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> h1 =
        Edge.send(http11, HttpRequest.newBuilder(edge.data("/secure/hello")).build());
    assertEquals("hello", h1.body());
    assertEquals(HttpClient.Version.HTTP_1_1, h1.version());

    SSLParameters tls12 = new SSLParameters();
    tls12.setProtocols(new String[] {"TLSv1.2"});
    HttpClient old = HttpClient.newBuilder().sslContext(trust).sslParameters(tls12).build();
    HttpResponse<String> r12 =
        Edge.send(old, HttpRequest.newBuilder(edge.data("/secure/hello")).build());
    assertEquals("hello", r12.body());
    assertEquals("TLSv1.2", r12.sslSession().orElseThrow().getProtocol());
  }

  @Test
  void shouldKeepTheLimitsOverHttp2() {
    HttpResponse<String> tooLarge =
        edge.request("GET", "/secure/hello", null, "x-big", "a".repeat(11_000));
    assertEquals(HttpClient.Version.HTTP_2, tooLarge.version());
    assertEquals(431, tooLarge.statusCode(), tooLarge.body());
    assertTrue(tooLarge.body().contains("\"message\""), tooLarge.body());

    HttpResponse<String> longUrl = edge.get("/secure/hello?q=" + "a".repeat(9_000));
    assertEquals(414, longUrl.statusCode(), longUrl.body());
  }

  @Test
  void shouldServeTheAdminApiOverHttpsOnly() {
    HttpResponse<String> apis = edge.admin("GET", "/apis", null);
    assertEquals(200, apis.statusCode(), apis.body());
    assertEquals(HttpClient.Version.HTTP_2, apis.version());
    URI plain = URI.create("http://127.0.0.1:" + edge.service.adminPort() + "/openapi.yaml");
    assertThrows(
        IOException.class,
        () ->
            Edge.CLIENT.send(
                HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void shouldTellAnHttpBackendTheRequestCameOverHttps() {
    HttpResponse<String> response = edge.get("/secure/backend");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode seen = Admin.json(response);
    assertEquals("https", seen.path("x-forwarded-proto").asText(), seen.toString());
    assertEquals(Integer.toString(edge.service.dataPort()), seen.path("x-forwarded-port").asText());
    assertEquals("127.0.0.1", seen.path("x-forwarded-for").asText());
  }

  @Test
  void shouldReplaceForwardedHeadersFromAnUntrustedPeer() {
    HttpResponse<String> response =
        edge.request(
            "GET",
            "/secure/backend",
            null,
            "x-forwarded-proto",
            "http",
            "x-forwarded-host",
            "forged.example",
            "x-forwarded-port",
            "80");
    JsonNode seen = Admin.json(response);
    assertEquals("https", seen.path("x-forwarded-proto").asText(), seen.toString());
    assertEquals("127.0.0.1", seen.path("x-forwarded-host").asText(), seen.toString());
    assertEquals(Integer.toString(edge.service.dataPort()), seen.path("x-forwarded-port").asText());
  }

  @Test
  void shouldPassOnWhatATrustedLoadBalancerSaw() {
    HttpResponse<String> response =
        behindBalancer.request(
            "GET",
            "/secure/backend",
            null,
            "x-forwarded-proto",
            "https",
            "x-forwarded-host",
            "api.example.com",
            "x-forwarded-port",
            "443",
            "x-forwarded-for",
            "203.0.113.7");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode seen = Admin.json(response);
    assertEquals("https", seen.path("x-forwarded-proto").asText(), seen.toString());
    assertEquals("api.example.com", seen.path("x-forwarded-host").asText(), seen.toString());
    assertEquals("443", seen.path("x-forwarded-port").asText(), seen.toString());
    assertEquals("203.0.113.7, 127.0.0.1", seen.path("x-forwarded-for").asText());

    JsonNode direct = Admin.json(behindBalancer.get("/secure/backend"));
    assertEquals("http", direct.path("x-forwarded-proto").asText(), direct.toString());
  }

  @Test
  void shouldServeWebSocketsOverWss() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newBuilder()
            .sslContext(trust)
            .build()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("wss://localhost:" + edge.service.dataPort() + "/secure"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    answer.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      socket.sendText("{\"action\":\"whoami\"}", true).get(10, TimeUnit.SECONDS);
      assertEquals("me", answer.get(10, TimeUnit.SECONDS));
    } finally {
      socket.abort();
    }
  }

  /**
   * The files are replaced while two clients keep sending: one on a kept-alive HTTP/2 connection,
   * one opening a new connection per request. A certificate without its key yet is refused (the old
   * pair stays); once the key follows, new handshakes get the new certificate, and no request fails
   * at any point.
   */
  @Test
  void shouldServeARenewedCertificateWhileRequestsRun() throws Exception {
    TestCertificates.Identity second = ca.server("edge-two");
    assertEquals("CN=edge-one", peerSubject());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> load = new ArrayList<>();
    HttpClient kept = HttpClient.newBuilder().sslContext(trust).build();
    load.add(
        loop(
            running,
            failure,
            answered,
            () -> {
              HttpResponse<String> r =
                  kept.send(
                      HttpRequest.newBuilder(edge.data("/secure/hello")).build(),
                      HttpResponse.BodyHandlers.ofString());
              return r.statusCode() + " " + r.body();
            }));
    load.add(loop(running, failure, answered, this::onNewConnection));
    try {
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> answered.get() > 20);
      int refusals = edge.service.certificates().refusals();
      replace(second.certificate(), certFile); // its key is not there yet
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> edge.service.certificates().refusals() > refusals);
      assertEquals("CN=edge-one", peerSubject());

      replace(second.key(), keyFile);
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(() -> assertEquals("CN=edge-two", peerSubject()));
      int before = answered.get();
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> answered.get() > before + 20);
    } finally {
      running.set(false);
      for (Thread thread : load) {
        thread.join(10_000);
      }
    }
    assertEquals(null, failure.get());
    assertEquals("CN=edge-two", peerSubject(edge.service.adminPort()));
  }

  interface Call {
    String send() throws Exception;
  }

  /** Repeats {@code call} until stopped, counting "200 hello" answers and noting anything else. */
  private static Thread loop(
      AtomicBoolean running, AtomicReference<String> failure, AtomicInteger answered, Call call) {
    Thread thread =
        new Thread(
            () -> {
              while (running.get() && failure.get() == null) {
                try {
                  String answer = call.send();
                  if (!answer.equals("200 hello")) {
                    failure.set(answer);
                  }
                  answered.incrementAndGet();
                } catch (Exception e) {
                  failure.set(e.toString());
                }
              }
            });
    thread.start();
    return thread;
  }

  /** One HTTP/1.1 request on a connection of its own (a new TLS handshake). */
  private String onNewConnection() throws IOException {
    try (SSLSocket socket =
        (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", edge.service.dataPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /secure/hello HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      String status = answer.startsWith("HTTP/1.1 ") ? answer.substring(9, 12) : answer;
      return status + " " + answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }

  /** The subject of the certificate a new connection to the data plane is shown. */
  private String peerSubject() throws IOException {
    return peerSubject(edge.service.dataPort());
  }

  /** The subject of the certificate a new connection to {@code port} is shown. */
  private String peerSubject(int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  /** Replaces {@code target} at once (a rename), as a deployment tool does. */
  private void replace(Path source, Path target) throws IOException {
    Path next = target.resolveSibling(target.getFileName() + ".next");
    Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      store.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  record Run(int exit, String output) {}

  static Run run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + List.of(command));
    return new Run(process.exitValue(), output.trim());
  }
}
