package dev.portico.edge.dynamo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a DynamoDB-style request, as DynamoDB does: the {@code
 * Authorization} header must name a known access key id, a credential scope dated the request's day
 * for the {@code dynamodb} service (any region), sign the {@code host} header, be dated within 15
 * minutes of now, and carry the signature that the key's secret gives over the canonical request;
 * anything else gets the exception name and message DynamoDB answers with (HTTP 400).
 *
 * <p>The payload hash is always the SHA-256 of the body received: a request signed over another
 * value ({@code X-Amz-Content-Sha256: UNSIGNED-PAYLOAD}, or a hash of some other body) fails the
 * signature, so the body is always covered.
 *
 * <p>Checks run in the order AWS reports them (the first failure answers; DynamoDB refuses a stale
 * date before it looks at the scope or the key): header syntax, signed host, date format, clock
 * skew, credential scope, access key, the signed headers' presence, signature.
 */
public final class SignatureV4 {
  private static final String DYNAMODB = "dynamodb";
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter BASIC_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HTTP_FORMAT =
      DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
  private static final HexFormat HEX = HexFormat.of();
  private static final String SIGNATURE_MISMATCH =
      "The request signature we calculated does not match the signature you provided."
          + " Check your AWS Secret Access Key and signing method."
          + " Consult the service documentation for details.";

  /**
   * Why a request was refused.
   *
   * @param type the AWS exception name DynamoDB answers with ({@code __type}), all with HTTP 400
   * @param message DynamoDB's message for it
   */
  public record Rejection(String type, String message) {}

  private final Map<String, String> secretsByAccessKeyId;
  private final Clock clock;
  private final String service;

  public SignatureV4(Map<String, String> secretsByAccessKeyId, Clock clock) {
    this(secretsByAccessKeyId, clock, DYNAMODB);
  }

  /** For AWS's published test vectors, which sign for services named "service" and "host". */
  SignatureV4(Map<String, String> secretsByAccessKeyId, Clock clock, String service) {
    this.secretsByAccessKeyId = Map.copyOf(secretsByAccessKeyId);
    this.clock = clock;
    this.service = service;
  }

  /** Empty when the request's signature is valid now; otherwise why not. */
  public Optional<Rejection> verify(SignedRequest request) {
    try {
      check(request);
      return Optional.empty();
    } catch (Refusal refusal) {
      return Optional.of(refusal.rejection());
    }
  }

  private void check(SignedRequest request) throws Refusal {
    String header = request.header("Authorization");
    if (header == null) {
      throw new Refusal(
          new Rejection(
              "MissingAuthenticationTokenException", "Request is missing Authentication Token"));
    }
    String amzDate = stripped(request.header("X-Amz-Date"));
    String httpDate = stripped(request.header("Date"));
    AuthorizationHeader authorization =
        AuthorizationHeader.parse(header, amzDate != null || httpDate != null);
    if (!authorization.signedHeaders().contains("host")) {
      throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    Instant signedAt = amzDate != null ? parseBasic(amzDate) : parseHttpDate(httpDate);
    String date = BASIC_FORMAT.format(signedAt);
    checkSkew(signedAt);
    checkScope(authorization, date);
    String secret = secretOf(authorization);
    requirePresent(request, authorization.signedHeaders());
    byte[] expected = signature(request, authorization, date, secret);
    byte[] presented = authorization.signature().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) { // constant time: no timing oracle
      throw invalid(SIGNATURE_MISMATCH);
    }
  }

  private static String stripped(String value) {
    return value == null ? null : value.strip();
  }

  private String secretOf(AuthorizationHeader authorization) throws Refusal {
    String secret = secretsByAccessKeyId.get(authorization.accessKeyId());
    if (secret == null) {
      throw new Refusal(
          new Rejection(
              "UnrecognizedClientException",
              "The security token included in the request is invalid."));
    }
    return secret;
  }

  private static void requirePresent(SignedRequest request, List<String> signedHeaders)
      throws Refusal {
    for (String name : signedHeaders) {
      if (request.header(name) == null) {
        throw new Refusal(
            new Rejection(
                "IncompleteSignatureException",
                "'"
                    + name
                    + "' is named as a SignedHeader, but it does not exist in the HTTP request."));
      }
    }
  }

  /** The lowercase hex signature the secret gives over this request, as ASCII bytes. */
  private static byte[] signature(
      SignedRequest request, AuthorizationHeader authorization, String date, String secret) {
    String canonicalRequest =
        CanonicalRequest.of(
            request,
            authorization.signedHeaders(),
            authorization.signedHeadersText(),
            HEX.formatHex(sha256(request.body())));
    String scope =
        String.join(
            "/",
            authorization.scopeDate(),
            authorization.region(),
            authorization.service(),
            authorization.terminator());
    String stringToSign =
        String.join(
            "\n",
            AuthorizationHeader.ALGORITHM,
            date,
            scope,
            HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    return HEX.formatHex(hmac(signingKey(secret, authorization), stringToSign))
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static Instant parseBasic(String date) throws Refusal {
    try {
      return LocalDateTime.parse(date, BASIC_FORMAT).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notBasicFormat) {
      throw new Refusal(
          new Rejection(
              "IncompleteSignatureException",
              "Date must be in ISO-8601 'basic format'. Got '"
                  + date
                  + "'. See http://en.wikipedia.org/wiki/ISO_8601"));
    }
  }

  /**
   * The {@code Date} header, used when there is no {@code X-Amz-Date}: in the basic format, or in
   * HTTP's own format (RFC 1123), which AWS's first Signature Version 4 test suite signs with; the
   * string to sign holds it in the basic format either way.
   */
  private static Instant parseHttpDate(String date) throws Refusal {
    // The day of the week is not checked: the suite's "Mon, 09 Sep 2011" was a Friday.
    String withoutWeekday = date.substring(date.indexOf(',') + 1).strip();
    try {
      return LocalDateTime.parse(withoutWeekday, HTTP_FORMAT).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notAnHttpDate) {
      return parseBasic(date);
    }
  }

  /** A signature is good for 15 minutes either side of its date; exactly 15 minutes still is. */
  private void checkSkew(Instant signedAt) throws Refusal {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant earliest = now.minus(MAX_SKEW);
    Instant latest = now.plus(MAX_SKEW);
    if (signedAt.isBefore(earliest)) {
      throw invalid(
          "Signature expired: "
              + BASIC_FORMAT.format(signedAt)
              + " is now earlier than "
              + BASIC_FORMAT.format(earliest)
              + " ("
              + BASIC_FORMAT.format(now)
              + " - 15 min.)");
    }
    if (signedAt.isAfter(latest)) {
      throw invalid(
          "Signature not yet current: "
              + BASIC_FORMAT.format(signedAt)
              + " is still later than "
              + BASIC_FORMAT.format(latest)
              + " ("
              + BASIC_FORMAT.format(now)
              + " + 15 min.)");
    }
  }

  /** AWS reports every wrong part of the scope at once, each sentence followed by a space. */
  private void checkScope(AuthorizationHeader authorization, String date) throws Refusal {
    List<String> errors = new ArrayList<>();
    if (authorization.region().isEmpty()) {
      errors.add("Credential should be scoped to a valid region, not ''. ");
    }
    if (!authorization.service().equals(service)) {
      errors.add("Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (!authorization.terminator().equals("aws4_request")) {
      errors.add(
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + authorization.terminator()
              + "'. ");
    }
    String day = date.substring(0, 8);
    if (!authorization.scopeDate().equals(day)) {
      errors.add(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '"
              + authorization.scopeDate()
              + "' != '"
              + day
              + "', from '"
              + date
              + "'. ");
    }
    if (!errors.isEmpty()) {
      throw invalid(String.join("", errors));
    }
  }

  private static byte[] signingKey(String secret, AuthorizationHeader authorization) {
    byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
    key = hmac(key, authorization.scopeDate());
    key = hmac(key, authorization.region());
    key = hmac(key, authorization.service());
    return hmac(key, authorization.terminator());
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException missingFromTheJdk) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", missingFromTheJdk);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException missingFromTheJdk) {
      throw new IllegalStateException("SHA-256 is required of every JDK", missingFromTheJdk);
    }
  }

  private static Refusal invalid(String message) {
    return new Refusal(new Rejection("InvalidSignatureException", message));
  }
}
