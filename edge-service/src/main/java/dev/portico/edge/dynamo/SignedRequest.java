package dev.portico.edge.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it arrived, everything a Signature Version 4 check reads: the raw path and
 * query (still percent-encoded), the headers in arrival order with their names as sent (one entry
 * per header line, so a name may repeat), and the body's bytes.
 *
 * @param rawQuery the query string without its {@code ?}, or null when the target has none
 * @param body the body's bytes (null reads as empty)
 */
public record SignedRequest(
    String method,
    String path,
    String rawQuery,
    List<Map.Entry<String, String>> headers,
    byte[] body) {

  public SignedRequest {
    headers = List.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** The values of every header line with this name (any case), in arrival order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>(1);
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        values.add(header.getValue());
      }
    }
    return values;
  }

  /** The first value of the header with this name (any case), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }
}
