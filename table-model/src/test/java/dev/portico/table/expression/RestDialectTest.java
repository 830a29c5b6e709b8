package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The REST dialect ({@link Syntax#REST}): the REST API's conditions, with inline literals, parsed
 * and evaluated by the same parser and tree as DynamoDB's expressions, over plain JSON items typed
 * by {@link PlainJson}. The CSV rows use no quote character, so that quotes reach the parser.
 */
class RestDialectTest {
  static final Map<String, AttributeValue> ITEM =
      PlainJson.readItem(
          """
          {"customer_id":"1230AWS","customer_name":"KilDong","price":990000,"rate":1.5,
           "vip":true,"nothing":null,"tags":["a","b"],"address":{"city":"Seoul","zip":"04524"},
           "first-name":"Gil","accent":"h\\u00e9","emoji":"\\ud83d\\ude00","private":"\\uffff",
           "whole":{"n":[1]},"decimal":{"n":[1.0]}}""");

  static Condition parse(String expression) {
    return ConditionParser.parse(expression, ExpressionAttributes.none(), Syntax.REST);
  }

  static String error(String expression) {
    return assertThrows(InvalidValueException.class, () -> parse(expression)).getMessage();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          price = 990000                                  | true
          price = 990000.0                                | true
          price = 9.9e5                                   | true
          price > -1                                      | true
          rate > 1                                        | true
          customer_name = 'KilDong'                       | true
          customer_name = "KilDong"                       | true
          customer_name = 'Kil\\'Dong'                    | false
          'KilDong' = customer_name                       | true
          customer_name > 5                               | false
          customer_name <> 5                              | true
          vip = true                                      | true
          vip = TRUE                                      | true
          vip = false                                     | false
          nothing = null                                  | true
          nothing = NULL                                  | true
          attribute_exists(nothing)                       | true
          ATTRIBUTE_EXISTS(address.city)                  | true
          Attribute_Not_Exists(missing)                   | true
          Begins_With(customer_name, 'Kil')               | true
          SIZE(tags) = 2                                  | true
          size('abc') = 3                                 | true
          tags[1] = 'b'                                   | true
          first-name = 'Gil'                              | true
          price BETWEEN 1 AND 990000                      | true
          price between 990001 and 1e6                    | false
          customer_name IN ('Kim', 'KilDong')             | true
          contains(tags, 'b')                             | true
          contains(customer_name, 'Dong')                 | true
          attribute_type(price, 'N')                      | true
          attribute_type(nothing, 'NULL')                 | true
          NOT price = 1                                   | true
          price = 1 OR price = 990000 AND vip = false     | false
          """)
  void shouldEvaluateInlineLiteralsAsTypedValues(String expression, boolean expected) {
    assertEquals(expected, parse(expression).test(ITEM), expression);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          price >                 | expected an attribute, a number or a string at position 8 but found the end
          price                   | expected a comparison (= <> < <= > >=) at position 6 but found the end
          size(tags)              | expected a comparison (= <> < <= > >=) at position 11 but found the end
          (price = 1              | expected ')' at position 11 but found the end
          price = 1 price = 2     | expected AND, OR or the end at position 11 but found 'price'
          frobnicate(price)       | expected a condition (unknown function frobnicate) at position 1 but found 'frobnicate'
          price = 'open           | unterminated string starting at position 9
          price ! 1               | unexpected character '!' at position 7
          tags[x] = 1             | expected a list index at position 6 but found 'x'
          = 1                     | expected an attribute, a number or a string at position 1 but found '='
          attribute_exists(1)     | expected an attribute name at position 18 but found '1'
          address. = 1            | expected an attribute name after '.' at position 10 but found '='
          #name = 1               | unexpected character '#' at position 1
          price = :price          | unexpected character ':' at position 9
          attribute_exists(a) = 1 | expected AND, OR or the end at position 21 but found '='
          price = frob(1)         | expected AND, OR or the end at position 13 but found '('
          """)
  void shouldKeepTheRestApisMessages(String expression, String message) {
    assertEquals(message, error(expression));
  }

  @Test
  void anEmptyExpressionIsASyntaxError() {
    assertEquals(
        "expected an attribute, a number or a string at position 1 but found the end", error(""));
  }

  @Test
  void shouldRefuseExpressionsOverFourThousandCharacters() {
    assertEquals("longer than 4096 characters", error("a = 1" + " OR a = 1".repeat(600)));
  }

  @Test
  void aMissingItemHasNoAttributes() {
    assertTrue(parse("attribute_not_exists(customer_id)").test(null));
    assertFalse(parse("price <= 0").test(null));
  }

  // Where DynamoDB's semantics, now the REST API's too, differ from the REST language's own
  // evaluator (customer-service's, before the two were one).

  @Test
  void sizeOfAStringCountsUtf8BytesAsInDynamoDb() {
    // the REST language counted characters (2 here)
    assertTrue(parse("size(accent) = 3").test(ITEM));
  }

  @Test
  void stringsOrderByCodePointNotByUtf16Units() {
    // U+1F600 is above U+FFFF; in UTF-16 its first unit (U+D83D) is below it
    assertTrue(parse("emoji > private").test(ITEM));
  }

  @Test
  void mapsAndListsCompareTheirNumbersByValue() {
    // the REST language compared JSON trees, where 1 and 1.0 differ
    assertTrue(parse("whole = decimal").test(ITEM));
  }

  @Test
  void aConstantOfATypeTheOperatorCannotTakeIsRefusedBeforeAnyItemIsRead() {
    // the REST language evaluated these to false
    assertEquals(
        "Incorrect operand type for operator or function; operator or function: <, operand type:"
            + " BOOL",
        error("vip < true"));
    assertEquals(
        "Incorrect operand type for operator or function; operator or function: begins_with,"
            + " operand type: N",
        error("begins_with(customer_name, 5)"));
  }

  @Test
  void aNumberDynamoDbCannotHoldIsRefused() {
    assertEquals(
        "Attempting to store more than 38 significant digits in a Number",
        error("price < 1" + "0".repeat(38) + ".5"));
  }

  @Test
  void keywordsAreNotAttributeNames() {
    assertEquals(
        "expected an attribute name at position 9 but found 'between'", error("price = between"));
  }

  @Test
  void nestingIsBounded() {
    String deep = "(".repeat(ConditionParser.MAX_NESTING + 1) + "a = 1";
    assertEquals("The expression nests parentheses and NOT more than 256 levels deep", error(deep));
  }

  @Test
  void theDynamoDbDialectStillRefusesInlineLiterals() {
    InvalidValueException e =
        assertThrows(
            InvalidValueException.class,
            () -> ConditionParser.parse("price = 1", ExpressionAttributes.none()));
    assertTrue(
        e.getMessage().startsWith("Invalid ConditionExpression: Syntax error"), e.getMessage());
  }
}
