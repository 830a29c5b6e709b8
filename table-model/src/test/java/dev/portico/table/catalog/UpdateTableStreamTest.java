package dev.portico.table.catalog;

import static dev.portico.table.catalog.CreateTableRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import org.junit.jupiter.api.Test;

/** UpdateTable's StreamSpecification: a stream enabled or disabled, with DynamoDB's rules. */
class UpdateTableStreamTest {
  static final TableDefinition PLAIN =
      new TableDefinition(
          "Orders", new KeySchema("id", KeyType.S, null, null), null, null, 1_000, null);
  static final TableDefinition STREAMED = PLAIN.withStream("NEW_IMAGE", 1_000);

  static TableDefinition apply(String spec, TableDefinition table, long now) throws Exception {
    return UpdateTableRequest.read(
            json("{'TableName':'Orders','StreamSpecification':" + spec + "}"), table)
        .applyStream(table, now);
  }

  static String refusal(String spec, TableDefinition table) {
    return assertThrows(InvalidValueException.class, () -> apply(spec, table, 9_000)).getMessage();
  }

  @Test
  void aStreamEnabledAgainShouldBeANewStreamWithANewLabel() throws Exception {
    TableDefinition enabled =
        apply("{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}", PLAIN, 2_000);
    assertEquals("KEYS_ONLY", enabled.streamViewType());
    assertEquals(2_000, enabled.streamCreatedAtMillis());
    assertEquals(enabled, TableDefinition.fromJson(enabled.toJson()));
    TableDefinition disabled = apply("{'StreamEnabled':false}", enabled, 3_000);
    assertNull(disabled.streamViewType());
    assertNull(StreamArns.arn(disabled));
    TableDefinition again =
        apply("{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}", disabled, 4_000);
    assertNotEquals(StreamArns.arn(enabled), StreamArns.arn(again));
    assertEquals("1970-01-01T00:00:04.000", StreamArns.label(again));
    assertEquals("1970-01-01T00:00:01.000", StreamArns.label(STREAMED), "created with the table");
  }

  @Test
  void noStreamSpecificationShouldLeaveTheStreamAsItIs() throws Exception {
    TableDefinition table =
        UpdateTableRequest.read(json("{'TableName':'Orders'}"), STREAMED)
            .applyStream(STREAMED, 5_000);
    assertEquals(STREAMED, table);
  }

  @Test
  void theStreamChangesDynamoDbRefusesShouldBeRefusedWithItsMessages() {
    assertEquals(
        "Table already has an enabled stream: TableName: Orders",
        refusal("{'StreamEnabled':true,'StreamViewType':'NEW_IMAGE'}", STREAMED));
    assertEquals(
        "Table already has an enabled stream: TableName: Orders",
        refusal("{'StreamEnabled':true,'StreamViewType':'OLD_IMAGE'}", STREAMED));
    assertEquals(
        "Table has no stream to disable: TableName: Orders",
        refusal("{'StreamEnabled':false}", PLAIN));
    assertEquals(
        "One or more parameter values were invalid: If stream is being enabled then"
            + " UpdateViewType is required",
        refusal("{'StreamEnabled':true}", PLAIN));
    assertEquals(
        "One or more parameter values were invalid: If stream is being disabled, then"
            + " UpdateViewType must not be specified",
        refusal("{'StreamEnabled':false,'StreamViewType':'NEW_IMAGE'}", STREAMED));
    assertEquals(
        "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to"
            + " satisfy constraint: Member must not be null",
        refusal("{'StreamViewType':'NEW_IMAGE'}", PLAIN));
    assertEquals(
        "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to"
            + " satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE,"
            + " KEYS_ONLY, NEW_AND_OLD_IMAGES]",
        refusal("{'StreamEnabled':true,'StreamViewType':'ALL'}", PLAIN));
  }
}
