package dev.portico.edge.dynamo;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a request that Signature Version 4 hashes, rebuilt on the receiving side
 * the way AWS's SDKs build it for services other than S3: the path normalised (dot segments and
 * repeated slashes removed, as {@link URI#normalize()} does in the Java SDK) and then encoded once
 * more ("double encoding"); query parameters decoded, re-encoded strictly and sorted by name, then
 * value; the signed headers' values trimmed with inner runs of whitespace collapsed, repeated lines
 * joined by commas.
 */
final class CanonicalRequest {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private CanonicalRequest() {}

  /**
   * The canonical request's text.
   *
   * @param signedHeaders the lowercase names of the signed headers, in the order the client listed
   *     them; each must be present in the request
   * @param signedHeadersText the {@code SignedHeaders} parameter exactly as the client sent it
   * @param payloadHash the lowercase hex SHA-256 of the body
   */
  static String of(
      SignedRequest request,
      List<String> signedHeaders,
      String signedHeadersText,
      String payloadHash) {
    StringBuilder text = new StringBuilder(512);
    text.append(request.method()).append('\n');
    text.append(path(request.path())).append('\n');
    text.append(query(request.rawQuery())).append('\n');
    for (String name : signedHeaders) {
      text.append(name).append(':');
      String separator = "";
      for (String value : request.headerValues(name)) {
        text.append(separator).append(trimAll(value));
        separator = ",";
      }
      text.append('\n');
    }
    text.append('\n');
    text.append(signedHeadersText).append('\n');
    text.append(payloadHash);
    return text.toString();
  }

  /** The raw path normalised, then percent-encoded again with its slashes kept. */
  static String path(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String normalized = rawPath;
    try {
      normalized = new URI("http://host" + rawPath).normalize().getRawPath();
    } catch (URISyntaxException notAUri) {
      // A path no client would sign as it came (a raw space, say): compared without normalising.
    }
    if (normalized.isEmpty()) {
      return "/";
    }
    if (normalized.length() > 1 && normalized.endsWith("/") && !rawPath.endsWith("/")) {
      // Normalising "/a/b/." leaves a trailing slash the signer's input did not have.
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return encode(normalized, true);
  }

  /** The raw query's parameters, decoded, strictly re-encoded, sorted by name then value. */
  static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (!name.isEmpty()) { // as the SDKs do, a parameter without a name is not signed
        parameters.add(new SimpleEntry<>(encode(name, false), encode(value, false)));
      }
    }
    parameters.sort(
        Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder text = new StringBuilder(rawQuery.length() + 16);
    for (Map.Entry<String, String> parameter : parameters) {
      if (!text.isEmpty()) {
        text.append('&');
      }
      text.append(parameter.getKey()).append('=').append(parameter.getValue());
    }
    return text.toString();
  }

  /** The value without leading or trailing whitespace and with each inner run made one space. */
  static String trimAll(String value) {
    StringBuilder text = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = !text.isEmpty();
      } else {
        if (pendingSpace) {
          text.append(' ');
          pendingSpace = false;
        }
        text.append(c);
      }
    }
    return text.toString();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
  }

  /** RFC 3986 encoding of the UTF-8 bytes: all but unreserved characters (and maybe '/'). */
  private static String encode(String value, boolean keepSlashes) {
    StringBuilder text = new StringBuilder(value.length() + 8);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~'
              || (keepSlashes && c == '/');
      if (unreserved) {
        text.append(c);
      } else {
        text.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return text.toString();
  }

  /** Percent-decoding as UTF-8; '+' stays '+', and a malformed escape is kept as it came. */
  private static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
      int low = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        int codePoint = value.codePointAt(i);
        byte[] literal = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
        bytes.write(literal, 0, literal.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
