package dev.portico.edge.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a bare socket, for what the JDK client refuses to send (huge URLs and header blocks,
 * broken encodings, raw bytes) and to see exactly what the edge answers: status, headers, body.
 */
final class RawHttp {
  private RawHttp() {}

  /** One answer; header names lower-cased. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body.substring(0, Math.min(200, body.length()));
    }
  }

  /** Sends {@code request} (ISO-8859-1) on a new connection and reads the answer. */
  static Response exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Response exchange(int port, byte[] request) throws IOException {
    return exchange(port, request, false);
  }

  /** {@code head}: the request is a HEAD, whose answer has no body whatever its headers say. */
  static Response exchange(int port, byte[] request, boolean head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      return read(socket.getInputStream(), head);
    }
  }

  /** Reads one response; {@code head} says it answers a HEAD request (no body). */
  static Response read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/") || statusLine.length() < 12) {
      throw new IOException("no status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.merge(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (head || status == 204 || status == 304 || status / 100 == 1) {
      // no body
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; ) {
        body.write(in.readNBytes(size));
        line(in);
        size = Integer.parseInt(line(in).trim(), 16);
      }
      line(in);
    } else if (length != null) {
      byte[] bytes = in.readNBytes(Integer.parseInt(length));
      if (bytes.length < Integer.parseInt(length)) {
        throw new IOException("body cut at " + bytes.length + " of " + length + " bytes");
      }
      body.write(bytes);
    } else {
      in.transferTo(body);
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.write(c);
    }
    if (c == -1 && line.size() == 0) {
      return null;
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
