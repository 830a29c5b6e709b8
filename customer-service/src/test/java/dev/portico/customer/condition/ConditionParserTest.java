package dev.portico.customer.condition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionParserTest {
  static final ObjectNode ITEM;

  static {
    try {
      ITEM =
          (ObjectNode)
              Json.MAPPER.readTree(
                  "{\"customer_id\":\"1230AWS\",\"customer_name\":\"KilDong\",\"price\":990000,"
                      + "\"rate\":1.5,\"vip\":true,\"nothing\":null,\"tags\":[\"a\",\"b\"],"
                      + "\"address\":{\"city\":\"Seoul\",\"zip\":\"04524\"}}");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attribute_exists(price) | true",
        "attribute_exists(missing) | false",
        "attribute_not_exists(missing) | true",
        "ATTRIBUTE_EXISTS(address.city) | true",
        "attribute_exists(tags[1]) | true",
        "attribute_exists(tags[2]) | false",
        "attribute_exists(nothing) | true",
        "price = 990000 | true",
        "price = 990000.0 | true",
        "price <> 990000 | false",
        "price > 100000 | true",
        "price >= 990000 AND price <= 990000 | true",
        "price < 1e6 | true",
        "rate > 1 | true",
        "customer_name = 'KilDong' | true",
        "customer_name = \"KilDong\" | true",
        "customer_name > 'Kil' | true",
        "customer_name > 5 | false",
        "customer_name <> 5 | true",
        "missing = 1 | false",
        "missing <> 1 | true",
        "vip = true | true",
        "nothing = null | true",
        "begins_with(customer_name, 'Kil') | true",
        "begins_with(customer_id, 'Kil') | false",
        "begins_with(price, '99') | false",
        "size(customer_name) = 7 | true",
        "size(tags) = 2 | true",
        "size(address) = 2 | true",
        "size(price) = 6 | false",
        "address.city = 'Seoul' | true",
        "tags[0] = 'a' | true",
        "NOT price = 1 | true",
        "not (price = 1 or price = 2) | true",
        "price = 1 OR price = 990000 AND vip = false | false",
        "(price = 1 OR price = 990000) AND vip = true | true",
        "NOT NOT vip = true | true",
        "'KilDong' = customer_name | true",
      })
  void shouldEvaluateAgainstTheItem(String expression, boolean expected) {
    assertEquals(expected, ConditionParser.parse(expression).test(ITEM), expression);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "price > | expected an attribute, a number or a string at position 8 but found the end",
        "price | expected a comparison (= <> < <= > >=) at position 6 but found the end",
        "(price = 1 | expected ')' at position 11 but found the end",
        "price = 1 price = 2 | expected AND, OR or the end at position 11 but found 'price'",
        "frobnicate(price) | expected a condition (unknown function frobnicate) at position 1 but found 'frobnicate'",
        "price = 'open | unterminated string starting at position 9",
        "price ! 1 | unexpected character '!' at position 7",
        "tags[x] = 1 | expected a list index at position 6 but found 'x'",
        "= 1 | expected an attribute, a number or a string at position 1 but found '='",
      })
  void shouldNameWhereAndWhatWasExpected(String expression, String message) {
    ConditionSyntaxException e =
        assertThrows(ConditionSyntaxException.class, () -> ConditionParser.parse(expression));
    assertEquals(message, e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void aMissingItemHasNoAttributes() {
    assertTrue(ConditionParser.parse("attribute_not_exists(customer_id)").test(null));
    assertFalse(ConditionParser.parse("price <= 0").test(null));
  }

  @org.junit.jupiter.api.Test
  void shouldRefuseExpressionsOverFourKilobytes() {
    String huge = "a = 1" + " OR a = 1".repeat(600);
    assertThrows(ConditionSyntaxException.class, () -> ConditionParser.parse(huge));
  }
}
