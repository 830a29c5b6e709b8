package dev.portico.edge.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.table.api.DynamoException;
import org.junit.jupiter.api.Test;

class ShardIteratorTest {
  private static final long CREATED = 1_796_000_000_123L;

  @Test
  void anIteratorShouldReadBackAsWrittenAndExpireAfter15Minutes() {
    ShardIterator iterator =
        new ShardIterator("Orders.v2_x-y", "2026-11-30T00:53:20.123", 3, 42, 1_000);
    ShardIterator back = ShardIterator.decode(iterator.encode());
    assertEquals(iterator, back);
    assertFalse(back.expiredAt(1_000 + 15 * 60 * 1000));
    assertTrue(back.expiredAt(1_000 + 15 * 60 * 1000 + 1));
  }

  @Test
  void aBrokenIteratorShouldBeAValidationError() {
    for (String bad :
        new String[] {"garbage!", "", "djE", new ShardIterator("t", "l", 0, 0, 0).encode() + "x"}) {
      DynamoException error =
          assertThrows(DynamoException.class, () -> ShardIterator.decode(bad), bad);
      assertEquals(DynamoException.VALIDATION, error.type());
    }
  }

  @Test
  void shardIdsShouldHaveDynamoDbsShapeAndNameTheirPartitionAndStream() {
    String id = ShardIterator.shardId(7, CREATED);
    assertEquals("shardId-00000000000000000007-6b1b4a00".length(), id.length());
    assertTrue(id.matches("shardId-\\d{20}-[0-9a-f]{8}"), id);
    assertEquals(7, ShardIterator.partitionOf(id, CREATED));
    // Another stream of the same name (the table created again) has other shard ids.
    assertEquals(-1, ShardIterator.partitionOf(id, CREATED + 5_000));
    assertEquals(-1, ShardIterator.partitionOf("shardId-7", CREATED));
    assertEquals(-1, ShardIterator.partitionOf(null, CREATED));
  }

  @Test
  void aStoredRecordShouldLoseItsNullsAndGainItsRegionForGetRecords() throws Exception {
    JsonNode stored =
        new ObjectMapper()
            .readTree(
                "{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"userIdentity\":null,"
                    + "\"dynamodb\":{\"Keys\":{\"k\":{\"S\":\"a\"}},\"NewImage\":null,"
                    + "\"OldImage\":{\"k\":{\"S\":\"a\"}}}}");
    JsonNode record = StreamsApi.asApiRecord(stored);
    assertEquals(
        new ObjectMapper()
            .readTree(
                "{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"awsRegion\":\"local\","
                    + "\"dynamodb\":{\"Keys\":{\"k\":{\"S\":\"a\"}},"
                    + "\"OldImage\":{\"k\":{\"S\":\"a\"}}}}"),
        record);
  }

  @Test
  void aTtlDeletionsIdentityShouldHaveTheApisMemberNames() throws Exception {
    JsonNode stored =
        new ObjectMapper()
            .readTree(
                "{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"userIdentity\":"
                    + "{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}}");
    assertEquals(
        new ObjectMapper()
            .readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"),
        StreamsApi.asApiRecord(stored).get("userIdentity"));
  }
}
