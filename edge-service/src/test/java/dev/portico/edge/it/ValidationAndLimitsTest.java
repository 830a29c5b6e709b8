package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request validation from the OpenAPI document, and the size limits at and over their edges. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ValidationAndLimitsTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: orders}
      x-portico-validate: true
      components:
        schemas:
          Order:
            type: object
            required: [order_id, quantity]
            additionalProperties: false
            properties:
              order_id: {type: string, minLength: 1}
              quantity: {type: integer, minimum: 1}
              note: {type: string, nullable: true}
      paths:
        /orders:
          post:
            parameters:
              - {name: tenant, in: query, required: true, schema: {type: string}}
              - {name: x-trace, in: header, required: true, schema: {type: string}}
            requestBody:
              required: true
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Order'}
            x-portico-integration: {type: mock, statusCode: 201, body: created}
        /free:
          post:
            x-portico-validate: false
            requestBody:
              content:
                application/json:
                  schema: {type: object, required: [x]}
            x-portico-integration: {type: mock, body: anything}
      """;

  Edge edge;

  @BeforeAll
  void start(TestKafka kafka) {
    edge = new Edge(kafka, kafka.freshPrefix()).start();
    new Admin(edge).importApi("orders", API);
    new Admin(edge).deploy("orders", "v");
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  HttpResponse<String> post(String query, String body, String... headers) {
    return edge.request("POST", "/v/orders" + query, body, headers);
  }

  @Test
  void shouldNameEveryMissingParameter() {
    HttpResponse<String> r =
        post("", "{\"order_id\":\"a\",\"quantity\":1}", "content-type", "application/json");
    assertEquals(400, r.statusCode());
    assertEquals(
        "{\"message\":\"Missing required request parameters: [tenant, x-trace]\"}", r.body());
  }

  @Test
  void shouldListEveryViolationOfTheBodySchema() {
    HttpResponse<String> r =
        post(
            "?tenant=t",
            "{\"quantity\":0,\"extra\":true}",
            "content-type",
            "application/json",
            "x-trace",
            "1");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = Admin.json(r);
    assertEquals("Invalid request body", body.get("message").asText());
    List<String> violations = new ArrayList<>();
    body.get("violations").forEach(v -> violations.add(v.asText()));
    assertEquals(3, violations.size(), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("order_id")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("quantity")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("extra")), violations.toString());
  }

  @Test
  void shouldAcceptAValidRequestAndNullableFields() {
    HttpResponse<String> r =
        post(
            "?tenant=t",
            "{\"order_id\":\"a\",\"quantity\":2,\"note\":null}",
            "content-type",
            "application/json; charset=utf-8",
            "x-trace",
            "1");
    assertEquals(201, r.statusCode(), r.body());
  }

  @Test
  void shouldRefuseBrokenJsonMissingBodiesAndOtherMediaTypes() {
    HttpResponse<String> broken =
        post("?tenant=t", "{\"order_id\":", "content-type", "application/json", "x-trace", "1");
    assertEquals(400, broken.statusCode());
    assertTrue(broken.body().contains("not JSON"), broken.body());
    HttpResponse<String> none =
        post("?tenant=t", null, "content-type", "application/json", "x-trace", "1");
    assertEquals(400, none.statusCode());
    HttpResponse<String> xml =
        post("?tenant=t", "<order/>", "content-type", "application/xml", "x-trace", "1");
    assertEquals(415, xml.statusCode());
    assertEquals("{\"message\":\"Unsupported Media Type\"}", xml.body());
  }

  @Test
  void shouldNotValidateWhereTheDocumentSaysSo() {
    assertEquals(
        200,
        edge.request("POST", "/v/free", "[]", "content-type", "application/json").statusCode());
  }

  /** Sends raw bytes and returns the status line: the JDK client refuses some of these requests. */
  String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", edge.service.dataPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.append((char) c);
      }
      return line.toString().trim();
    }
  }

  @Test
  void shouldEnforceTheUrlAndHeaderLimitsAtTheirEdges() throws Exception {
    // The URL: 8,192 bytes.
    String atLimit = "/v/free?" + "a".repeat(8_192 - "/v/free?".length());
    String ok = raw("GET " + atLimit + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assertTrue(ok.startsWith("HTTP/1.1 403"), ok);
    String tooLong = raw("GET " + atLimit + "a HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assertTrue(tooLong.startsWith("HTTP/1.1 414"), tooLong);
    String wayTooLong = raw("GET " + atLimit.repeat(2) + " HTTP/1.1\r\nhost: x\r\n\r\n");
    assertTrue(wayTooLong.contains(" 414"), wayTooLong);
    // The header block: 10,240 bytes.
    // "host: x\r\n" (9) + "x-big: ...\r\n" = 10,240.
    String big = "x-big: " + "b".repeat(10_240 - 9 - 2 - "x-big: ".length());
    String atHeaderLimit = raw("GET /v/free HTTP/1.1\r\nhost: x\r\n" + big + "\r\n\r\n");
    assertTrue(atHeaderLimit.startsWith("HTTP/1.1 403"), atHeaderLimit);
    String overHeaderLimit = raw("GET /v/free HTTP/1.1\r\nhost: x\r\n" + big + "b\r\n\r\n");
    assertTrue(overHeaderLimit.startsWith("HTTP/1.1 431"), overHeaderLimit);
    String wayOver = raw("GET /v/free HTTP/1.1\r\nhost: x\r\n" + big + big + "\r\n\r\n");
    assertTrue(wayOver.contains(" 431"), wayOver);
  }

  /**
   * Past Netty's own caps (the request line and header block it agrees to parse) the codec refuses
   * the request before the gateway's handler sees it; the answer is still the gateway's.
   */
  @Test
  void shouldAnswerRequestsPastTheCodecsCapsWithJsonAndARequestId() throws Exception {
    int port = edge.service.dataPort();
    RawHttp.Response url =
        RawHttp.exchange(
            port, "GET /v/free?" + "a".repeat(40_000) + " HTTP/1.1\r\nhost: x\r\n\r\n");
    assertEquals(414, url.status(), url.toString());
    assertEquals("{\"message\":\"Request-URI Too Long\"}", url.body());
    assertEquals("RequestUriTooLongException", url.header("x-portico-error-type"));
    assertTrue(url.header("x-portico-request-id") != null, url.toString());
    assertEquals("application/json", url.header("content-type"));

    String block = "x-big: " + "b".repeat(1_000) + "\r\n";
    RawHttp.Response headers =
        RawHttp.exchange(port, "GET /v/free HTTP/1.1\r\nhost: x\r\n" + block.repeat(60) + "\r\n");
    assertEquals(431, headers.status(), headers.toString());
    assertEquals("{\"message\":\"Request Header Fields Too Large\"}", headers.body());
    assertEquals("RequestHeaderFieldsTooLargeException", headers.header("x-portico-error-type"));
    assertTrue(headers.header("x-portico-request-id") != null, headers.toString());
  }

  /** A chunked body has no length to check up front: the mock counts it as it streams in. */
  @Test
  void shouldCountAChunkedBodyOnAMockRoute() {
    byte[] limit = new byte[10 * 1024 * 1024];
    HttpResponse<String> atLimit =
        Edge.send(
            java.net.http.HttpRequest.newBuilder(edge.data("/v/free"))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(limit)))
                .build());
    assertEquals(200, atLimit.statusCode(), atLimit.body());
    byte[] over = new byte[10 * 1024 * 1024 + 1];
    HttpResponse<String> tooLong =
        Edge.send(
            java.net.http.HttpRequest.newBuilder(edge.data("/v/free"))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(over)))
                .build());
    assertEquals(413, tooLong.statusCode(), tooLong.body());
    assertEquals("{\"message\":\"Request Too Long\"}", tooLong.body());
  }

  @Test
  void shouldAcceptTenMegabytesAndRefuseOneByteMore() {
    byte[] limit = new byte[10 * 1024 * 1024];
    assertEquals(
        200,
        Edge.send(
                java.net.http.HttpRequest.newBuilder(edge.data("/v/free"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(limit))
                    .build())
            .statusCode());
    byte[] over = new byte[10 * 1024 * 1024 + 1];
    assertEquals(
        413,
        Edge.send(
                java.net.http.HttpRequest.newBuilder(edge.data("/v/free"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(over))
                    .build())
            .statusCode());
  }
}
