package dev.portico.edge.dynamo;

import dev.portico.edge.dynamo.SignatureV4.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=...} header. As AWS does, the parameters may be separated by commas, whitespace or
 * both, and a repeated parameter's last value counts.
 *
 * @param signedHeaders the {@code SignedHeaders} names, lowercase, in the order listed
 * @param signedHeadersText the {@code SignedHeaders} parameter as sent (it is part of what is
 *     signed)
 */
record AuthorizationHeader(
    String accessKeyId,
    String scopeDate,
    String region,
    String service,
    String terminator,
    List<String> signedHeaders,
    String signedHeadersText,
    String signature) {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /**
   * Parses the header, or refuses it with DynamoDB's IncompleteSignatureException wording.
   *
   * @param dated whether the request carries the date header the signature needs (AWS reports a
   *     missing date together with missing parameters)
   */
  static AuthorizationHeader parse(String header, boolean dated) throws Refusal {
    String trimmed = header.strip();
    String[] algorithmAndRest = trimmed.split("\\s+", 2);
    if (!algorithmAndRest[0].equals(ALGORITHM)) {
      throw incomplete("Unsupported AWS 'algorithm': '" + algorithmAndRest[0] + "'.");
    }
    Map<String, String> parameters = new HashMap<>();
    if (algorithmAndRest.length > 1) {
      for (String parameter : algorithmAndRest[1].split("[,\\s]+")) {
        if (parameter.isEmpty()) {
          continue;
        }
        int equals = parameter.indexOf('=');
        if (equals < 0) {
          throw incomplete(
              "'"
                  + parameter
                  + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                  + trimmed
                  + "'.");
        }
        parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
      }
    }
    String credential = parameters.get("Credential");
    String signature = parameters.get("Signature");
    String signedHeaders = parameters.get("SignedHeaders");
    List<String> missing = new ArrayList<>();
    if (credential == null) {
      missing.add("Authorization header requires 'Credential' parameter.");
    }
    if (signature == null) {
      missing.add("Authorization header requires 'Signature' parameter.");
    }
    if (signedHeaders == null) {
      missing.add("Authorization header requires 'SignedHeaders' parameter.");
    }
    if (!dated) {
      missing.add(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    if (!missing.isEmpty()) {
      throw incomplete(String.join(" ", missing) + " Authorization=" + trimmed);
    }
    String[] scope = credential.split("/", -1);
    if (scope.length != 5) {
      throw incomplete(
          "Credential must have exactly 5 slash-delimited elements,"
              + " e.g. keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    List<String> names = new ArrayList<>();
    for (String name : signedHeaders.split(";")) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    return new AuthorizationHeader(
        scope[0],
        scope[1],
        scope[2],
        scope[3],
        scope[4],
        List.copyOf(names),
        signedHeaders,
        signature);
  }

  private static Refusal incomplete(String message) {
    return new Refusal(new Rejection("IncompleteSignatureException", message));
  }
}
