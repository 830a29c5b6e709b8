package dev.portico.edge.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.portico.table.api.DynamoException;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DynamoDB Streams API's refusals that come before any Kafka read or catalog look-up. */
class StreamsApiTest {
  private static final long NOW = 1_796_000_000_000L;
  private final Vertx vertx = Vertx.vertx();
  private final StreamsApi api =
      new StreamsApi(vertx, null, null, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  @AfterEach
  void close() {
    vertx.close();
  }

  private DynamoException refusal(String operation, String body) throws Exception {
    Throwable cause =
        api.handle(operation, body)
            .toCompletionStage()
            .toCompletableFuture()
            .handle((ok, failure) -> failure)
            .get(10, TimeUnit.SECONDS);
    return assertInstanceOf(DynamoException.class, cause);
  }

  private static String iterator(long issuedAt) {
    return new ShardIterator("Orders", "label", 0, 5, issuedAt).encode();
  }

  @Test
  void anIteratorOlderThan15MinutesShouldBeExpired() throws Exception {
    DynamoException expired =
        refusal(
            "GetRecords",
            "{\"ShardIterator\":\"" + iterator(NOW - ShardIterator.LIFETIME_MILLIS - 1) + "\"}");
    assertEquals("ExpiredIteratorException", expired.type());
    assertEquals(400, expired.status());
  }

  @Test
  void badRequestsShouldBeValidationErrors() throws Exception {
    assertEquals(
        "ValidationException",
        refusal("GetRecords", "{\"ShardIterator\":\"" + iterator(NOW) + "\",\"Limit\":1001}")
            .type());
    assertEquals("ValidationException", refusal("GetRecords", "{\"Limit\":1}").type());
    assertEquals("ValidationException", refusal("DescribeStream", "{}").type());
    assertEquals("SerializationException", refusal("ListStreams", "[").type());
    assertEquals("UnknownOperationException", refusal("UpdateStream", "{}").type());
  }
}
