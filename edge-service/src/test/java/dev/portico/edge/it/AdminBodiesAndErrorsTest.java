package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API reads a body whatever its content type, as curl sends it in the docs' commands
 * ({@code --data-binary @file} and {@code -d} say {@code application/x-www-form-urlencoded}), and
 * answers every error as JSON, including the ones Vert.x and Netty find before a route runs.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class AdminBodiesAndErrorsTest {
  Edge edge;

  @BeforeAll
  void start(TestKafka kafka) {
    edge = new Edge(kafka, kafka.freshPrefix()).start();
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  /** A document of about 4 KB without a single '=' (that made Netty's form decoder give up). */
  static String bigYaml(String title) {
    StringBuilder doc =
        new StringBuilder("openapi: 3.0.3\ninfo: {title: " + title + ", version: '1'}\npaths:\n");
    for (int i = 0; i < 40; i++) {
      doc.append("  /thing")
          .append(i)
          .append(":\n    get:\n      x-portico-integration: {type: mock, body: thing")
          .append(i)
          .append("}\n");
    }
    return doc.toString();
  }

  @Test
  void shouldImportADocumentOverOneKilobyteSentWithCurlDataBinary(@TempDir Path dir)
      throws Exception {
    String yaml = bigYaml("Big");
    assertTrue(yaml.length() > 3000 && !yaml.contains("="));
    Path file = Files.writeString(dir.resolve("api.yaml"), yaml);
    Curl put =
        curl(
            "-X",
            "PUT",
            admin("/apis/big"),
            "-H",
            "authorization: Bearer " + Edge.TOKEN,
            "--data-binary",
            "@" + file);
    assertEquals(200, put.status(), put.body());
    assertEquals(40, put.json().get("routes").size());
    Curl deploy =
        curl(
            "-X",
            "POST",
            admin("/apis/big/deployments"),
            "-H",
            "authorization: Bearer " + Edge.TOKEN,
            "-d",
            "{\"stage\":\"big-dev\"}");
    assertEquals(201, deploy.status(), deploy.body());
    assertEquals("thing39", edge.get("/big-dev/thing39").body());
  }

  @Test
  void shouldReadATabIndentedJsonDocumentWhateverItsContentType(@TempDir Path dir)
      throws Exception {
    // Not YAML (YAML forbids tabs in indentation), so it must be recognised as JSON.
    String json =
        "{\n\t\"openapi\": \"3.0.3\",\n\t\"info\": {\"title\": \"Tabs\"},\n\t\"paths\": {\"/t\": "
            + "{\"get\": {\"x-portico-integration\": {\"type\": \"mock\", \"body\": \"tab\"}}}}\n}";
    Path file = Files.writeString(dir.resolve("api.json"), json);
    for (String type :
        List.of("application/json", "text/plain", "application/x-www-form-urlencoded")) {
      Curl put =
          curl(
              "-X",
              "PUT",
              admin("/apis/tabs"),
              "-H",
              "authorization: Bearer " + Edge.TOKEN,
              "-H",
              "content-type: " + type,
              "--data-binary",
              "@" + file);
      assertEquals(200, put.status(), type + ": " + put.body());
    }
  }

  @Test
  void shouldAnswerAnUnknownPathAndAWrongMethodWithJson() throws Exception {
    Curl unknown = curl(admin("/no/such/thing"), "-H", "authorization: Bearer " + Edge.TOKEN);
    assertJsonError(404, unknown);
    Curl wrongMethod =
        curl("-X", "DELETE", admin("/apis"), "-H", "authorization: Bearer " + Edge.TOKEN);
    assertJsonError(405, wrongMethod);
  }

  @Test
  void shouldAnswerABrokenJsonBodyWithJson() throws Exception {
    Curl broken =
        curl(
            "-X",
            "POST",
            admin("/apikeys"),
            "-H",
            "authorization: Bearer " + Edge.TOKEN,
            "-d",
            "{\"name\": ");
    assertJsonError(400, broken);
  }

  @Test
  void shouldAnswerABodyOverTheLimitWithJsonWhetherDeclaredOrChunked(@TempDir Path dir)
      throws Exception {
    Path big = dir.resolve("big.yaml");
    byte[] block = "#".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 11; i++) {
        out.write(block);
      }
    }
    String auth = "authorization: Bearer " + Edge.TOKEN;
    assertJsonError(
        413, curl("-X", "PUT", admin("/apis/huge"), "-H", auth, "--data-binary", "@" + big));
    assertJsonError(
        413,
        curl(
            "-X",
            "PUT",
            admin("/apis/huge"),
            "-H",
            auth,
            "-H",
            "transfer-encoding: chunked",
            "--data-binary",
            "@" + big));
  }

  @Test
  void shouldAnswerRequestsNettyCannotDecodeWithJson() throws Exception {
    assertJsonError(414, raw("GET /apis?" + "a".repeat(10_000) + " HTTP/1.1\r\nhost: x\r\n\r\n"));
    assertJsonError(
        431, raw("GET /apis HTTP/1.1\r\nhost: x\r\nx-big: " + "b".repeat(20_000) + "\r\n\r\n"));
    assertJsonError(400, raw("GET /apis HTTP/1.1\r\nhost: x\r\ncontent-length: twelve\r\n\r\n"));
    // Broken chunk framing inside a body: Vert.x's codec closes the connection, nothing written
    // (there is no sound place for an answer in a stream whose framing is lost).
    Curl brokenFraming =
        raw(
            "PUT /apis/x HTTP/1.1\r\nhost: x\r\nauthorization: Bearer "
                + Edge.TOKEN
                + "\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n\r\n");
    assertEquals(-1, brokenFraming.status(), brokenFraming.body());
  }

  private static void assertJsonError(int status, Curl answer) {
    assertEquals(status, answer.status(), answer.body());
    assertTrue(
        answer.contentType().startsWith("application/json"),
        "content type " + answer.contentType() + " of " + answer.body());
    assertTrue(!answer.json().path("message").asText().isEmpty(), answer.body());
  }

  private String admin(String path) {
    return "http://127.0.0.1:" + edge.service.adminPort() + path;
  }

  /** An answer: the status, content type and body. */
  record Curl(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** Runs curl as a user would; the status and content type come from its {@code -w}. */
  private static Curl curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30"));
    command.addAll(List.of(args));
    command.addAll(List.of("-w", "\n%{http_code} %{content_type}"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "curl hung");
    int cut = out.lastIndexOf('\n');
    String[] statusAndType = out.substring(cut + 1).split(" ", 2);
    return new Curl(
        Integer.parseInt(statusAndType[0]),
        statusAndType.length > 1 ? statusAndType[1] : "",
        out.substring(0, cut));
  }

  /** Sends bytes as they are on a fresh connection and reads the answer up to its close. */
  private Curl raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.service.adminPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
      String contentType =
          head.lines()
              .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
              .map(l -> l.substring("content-type:".length()).trim())
              .findFirst()
              .orElse("");
      int status = head.isEmpty() ? -1 : Integer.parseInt(head.split(" ")[1]);
      return new Curl(
          status, contentType, response.substring(Math.min(response.length(), head.length() + 4)));
    }
  }
}
