package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import org.junit.jupiter.api.Test;

/** Trigger rules on team tables, and how a team table's record is read for them (no broker). */
class TeamTableTriggersTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  private static final String RULE =
      """
      {"table": "Orders", "on": ["INSERT"], "filter": {"attribute": "total", "equals": 12.5},
       "action": {"publish": {"topic": "orders", "subject": "Order ${Keys.placed_at}",
                              "body": "${NewImage.customer} paid ${NewImage.total} for ${NewImage.tags}"}}}""";

  private static final String INSERT =
      """
      {"eventID": "e-1", "eventName": "INSERT",
       "dynamodb": {"Keys": {"customer": {"S": "c1"}, "placed_at": {"N": "7"}},
                    "NewImage": {"customer": {"S": "c1"}, "placed_at": {"N": "7"},
                                 "total": {"N": "12.50"}, "tags": {"SS": ["a", "b"]}}}}""";

  @Test
  void aRuleShouldNameItsTableAndKeepIt() throws Exception {
    TriggerRule rule = TriggerRule.parse("orders", json(RULE));
    assertEquals("Orders", rule.table());
    assertEquals("Orders", rule.toJson().get("table").asText());
    assertEquals("Orders", rule.definition().table());
    TriggerRule customers =
        TriggerRule.parse(
            "welcome",
            json(
                "{\"on\":[\"INSERT\"],\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"b\"}}}"));
    assertEquals("customers", customers.table());
    assertFalse(customers.toJson().has("table"), "a customers rule is stored as before");
    assertNull(customers.definition().table());
  }

  @Test
  void aBadTableNameShouldBeRefused() {
    StreamError error =
        assertThrows(
            StreamError.class,
            () ->
                TriggerRule.parse(
                    "t",
                    json(
                        "{\"table\":\"a b\",\"on\":[\"INSERT\"],"
                            + "\"action\":{\"publish\":{\"topic\":\"t\",\"body\":\"b\"}}}")));
    assertTrue(error.getMessage().contains("table"), error.getMessage());
  }

  @Test
  void filtersAndTemplatesShouldReadATeamTablesRecordAsPlainJson() throws Exception {
    TriggerRule rule = TriggerRule.parse("orders", json(RULE));
    assertEquals("Orders", TeamTableChanges.table("Orders\u0000AzE="));
    assertNull(TeamTableChanges.table("no-table"));

    JsonNode change = TeamTableChanges.plain(json(INSERT));

    assertTrue(rule.matches(change), "12.50 equals 12.5 by value");
    assertEquals("Order 7", TriggerRule.render(rule.subject(), change));
    assertEquals("c1 paid 12.5 for [\"a\",\"b\"]", TriggerRule.render(rule.body(), change));
    assertFalse(rule.matches(TeamTableChanges.plain(json(INSERT.replace("12.50", "13")))));
    assertNull(TeamTableChanges.plain(json(INSERT.replace("{\"S\": \"c1\"}", "{\"X\": 1}"))));
  }
}
