package dev.portico.table.catalog;

import static dev.portico.table.catalog.CreateTableRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeToLiveRequestTest {
  static final TableDefinition ORDERS =
      new TableDefinition(
          "Orders", new KeySchema("id", KeyType.S, null, null), null, null, 5, null);

  static TimeToLiveRequest read(String spec) throws Exception {
    return TimeToLiveRequest.read(json("{'TableName':'Orders'" + spec + "}"));
  }

  @Test
  void enablingShouldNameTheAttributeInTheDefinitionAndDisablingShouldClearIt() throws Exception {
    TableDefinition enabled =
        read(",'TimeToLiveSpecification':{'Enabled':true,'AttributeName':'expires'}")
            .applyTo(ORDERS);
    assertEquals("expires", enabled.ttlAttribute());
    assertEquals(enabled, TableDefinition.fromJson(enabled.toJson()));
    TableDefinition disabled =
        read(",'TimeToLiveSpecification':{'Enabled':false,'AttributeName':'expires'}")
            .applyTo(enabled);
    assertNull(disabled.ttlAttribute());
    assertEquals(ORDERS, disabled);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy"
            + " constraint: Member must not be null",
        ",'TimeToLiveSpecification':{'AttributeName':'ttl'}|1 validation error detected: Value null"
            + " at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not"
            + " be null",
        ",'TimeToLiveSpecification':{'Enabled':true}|1 validation error detected: Value null at"
            + " 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must"
            + " not be null",
        ",'TimeToLiveSpecification':{'Enabled':'yes','AttributeName':'ttl'}|TimeToLiveSpecification"
            + ".Enabled must be a boolean",
        ",'TimeToLiveSpecification':{'Enabled':true,'AttributeName':''}|1 validation error"
            + " detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy"
            + " constraint: Member must have length less than or equal to 255, Member must have"
            + " length greater than or equal to 1",
      })
  void aMalformedSpecificationShouldBeRefusedWithDynamoDbsMessage(String spec, String message) {
    InvalidValueException refused =
        assertThrows(InvalidValueException.class, () -> read(spec == null ? "" : spec));
    assertEquals(message, refused.getMessage());
  }

  @Test
  void theOperationShouldNotBeIdempotentAsInDynamoDb() throws Exception {
    TableDefinition enabled = ORDERS.withTtlAttribute("expires");
    assertEquals(
        "TimeToLive is already enabled",
        assertThrows(
                InvalidValueException.class,
                () ->
                    read(",'TimeToLiveSpecification':{'Enabled':true,'AttributeName':'expires'}")
                        .applyTo(enabled))
            .getMessage());
    assertEquals(
        "TimeToLive is already disabled",
        assertThrows(
                InvalidValueException.class,
                () ->
                    read(",'TimeToLiveSpecification':{'Enabled':false,'AttributeName':'expires'}")
                        .applyTo(ORDERS))
            .getMessage());
    for (boolean enable : new boolean[] {true, false}) {
      assertEquals(
          "TimeToLive is active on a different AttributeName: current AttributeName is expires",
          assertThrows(
                  InvalidValueException.class,
                  () ->
                      read(",'TimeToLiveSpecification':{'Enabled':"
                              + enable
                              + ",'AttributeName':'other'}")
                          .applyTo(enabled))
              .getMessage());
    }
  }
}
