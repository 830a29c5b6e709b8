package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The response event of the function protocol. A function answers each request event with one of
 * these on the reply address of the request. The edge treats a status outside 100-599 as malformed
 * (502).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionResponse(
    int statusCode,
    Map<String, String> headers,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

  public boolean isWellFormed() {
    return statusCode >= 100 && statusCode <= 599;
  }

  public static FunctionResponse json(int statusCode, String body, Map<String, String> headers) {
    var all = new java.util.LinkedHashMap<String, String>();
    all.put("content-type", "application/json");
    all.putAll(headers);
    return new FunctionResponse(statusCode, Map.copyOf(all), body, false);
  }
}
