package dev.portico.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks shard iterators. An iterator is a self-contained token: {@code
 * v1.<partition>.<offset>.<issuedAtMillis>.<hmac>}, base64url-encoded, where the HMAC-SHA256 over
 * the stream's identity and the fields proves the service issued it for that stream (a client
 * cannot forge a position, extend the expiry, or read another stream with it). No server-side
 * session exists, so any replica sharing the secret can serve any iterator, and restarts lose
 * nothing.
 *
 * <p>The identity is {@code customers} for the bundled table and the stream ARN for a team table
 * (its name and creation label), so an iterator of one table, or of a table deleted and created
 * again under the same name, is refused by every other stream.
 */
final class ShardIterators {
  /** DynamoDB Streams' iterator lifetime. */
  static final Duration LIFETIME = Duration.ofMinutes(15);

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] key;
  private final Clock clock;

  ShardIterators(String secret, Clock clock) {
    this.clock = clock;
    if (secret.isEmpty()) {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
    } else {
      key = secret.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A position in one shard: the Kafka offset of the next record to read. */
  record Position(int partition, long offset) {}

  String issue(String stream, int partition, long offset) {
    String body = "v1." + partition + "." + offset + "." + clock.millis();
    String token = body + "." + ENCODER.encodeToString(mac(stream, body));
    return ENCODER.encodeToString(token.getBytes(StandardCharsets.US_ASCII));
  }

  /** The position the iterator names, or a 400: malformed, forged, or expired. */
  Position check(String stream, String iterator) {
    if (iterator == null || iterator.isEmpty()) {
      throw StreamError.validation("Query parameter 'iterator' is required");
    }
    String[] parts;
    try {
      parts = new String(DECODER.decode(iterator), StandardCharsets.US_ASCII).split("\\.", -1);
    } catch (IllegalArgumentException notBase64) {
      throw invalid();
    }
    if (parts.length != 5 || !parts[0].equals("v1")) {
      throw invalid();
    }
    String body = String.join(".", parts[0], parts[1], parts[2], parts[3]);
    byte[] given;
    try {
      given = DECODER.decode(parts[4]);
    } catch (IllegalArgumentException notBase64) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(mac(stream, body), given)) {
      throw invalid();
    }
    // Signed by us, so the numbers parse; the checks stay for defence in depth.
    int partition;
    long offset;
    long issuedAt;
    try {
      partition = Integer.parseInt(parts[1]);
      offset = Long.parseLong(parts[2]);
      issuedAt = Long.parseLong(parts[3]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    long age = clock.millis() - issuedAt;
    if (age > LIFETIME.toMillis()) {
      throw StreamError.expired(
          "Iterator expired: it was issued "
              + Duration.ofMillis(age).toSeconds()
              + " s ago and iterators are valid for "
              + LIFETIME.toMinutes()
              + " minutes; get a new one (AFTER_SEQUENCE_NUMBER with the last sequence number"
              + " read, or use the nextShardIterator of your last page sooner)");
    }
    return new Position(partition, offset);
  }

  private static StreamError invalid() {
    return StreamError.validation(
        "Invalid shard iterator: not one this service issued for this stream (or it was"
            + " altered)");
  }

  private byte[] mac(String stream, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((stream + "|" + body).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
