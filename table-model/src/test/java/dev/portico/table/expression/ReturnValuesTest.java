package dev.portico.table.expression;

import static dev.portico.table.expression.UpdateExpressionTest.item;
import static dev.portico.table.expression.UpdateExpressionTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReturnValuesTest {
  static final String UPDATE = "SET address.city = :s, qty = qty + :one REMOVE #n ADD fresh :one";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NONE        | {}
          UPDATED_OLD | {"address":{"M":{"city":{"S":"Lyon"}}},"qty":{"N":"3"},"name":{"S":"ann"}}
          UPDATED_NEW | {"address":{"M":{"city":{"S":"x"}}},"qty":{"N":"4"},"fresh":{"N":"1"}}
          """)
  void returnsTheUpdatedPathsAsTheyWereOrAre(String parameter, String expected) {
    UpdateExpression update = UpdateExpressionTest.parse(UPDATE);
    Map<String, AttributeValue> before = item();
    Map<String, AttributeValue> after = update.apply(before);
    Map<String, AttributeValue> answer =
        ReturnValues.parse(parameter).select(before, after, update.paths());
    assertEquals(json(expected), DynamoJson.write(answer));
  }

  @Test
  void returnsWholeItemsForAllOldAndAllNew() {
    UpdateExpression update = UpdateExpressionTest.parse(UPDATE);
    Map<String, AttributeValue> before = item();
    Map<String, AttributeValue> after = update.apply(before);
    assertEquals(before, ReturnValues.ALL_OLD.select(before, after, update.paths()));
    assertEquals(after, ReturnValues.ALL_NEW.select(before, after, update.paths()));
  }

  @Test
  void returnsNothingForAnItemThatWasNotThere() {
    UpdateExpression update = UpdateExpressionTest.parse("SET a = :s");
    Map<String, AttributeValue> after = update.apply(null);
    assertEquals(Map.of(), ReturnValues.ALL_OLD.select(null, after, update.paths()));
    assertEquals(Map.of(), ReturnValues.UPDATED_OLD.select(null, after, update.paths()));
    assertEquals(
        Map.of("a", AttributeValue.s("x")),
        ReturnValues.UPDATED_NEW.select(null, after, update.paths()));
    assertEquals(Map.of(), ReturnValues.ALL_NEW.select(item(), null, List.of()));
  }

  @Test
  void parsesTheParameter() {
    assertEquals(ReturnValues.NONE, ReturnValues.parse(null));
    assertEquals(ReturnValues.UPDATED_NEW, ReturnValues.parse("UPDATED_NEW"));
    assertEquals(
        "1 validation error detected: Value 'all_new' at 'returnValues' failed to satisfy"
            + " constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD,"
            + " NONE, UPDATED_NEW]",
        assertThrows(InvalidValueException.class, () -> ReturnValues.parse("all_new"))
            .getMessage());
  }
}
