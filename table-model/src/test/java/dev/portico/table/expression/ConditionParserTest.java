package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionParserTest {
  /** One item holding every type, in DynamoDB JSON. */
  static final Map<String, AttributeValue> ITEM =
      DynamoJson.readItem(
          json(
              """
              {"pk":{"S":"order#2024-05"},"total":{"N":"12345678901234567890.5"},
               "qty":{"N":"3"},"blob":{"B":"AAEC"},"paid":{"BOOL":true},"note":{"NULL":true},
               "address":{"M":{"city":{"S":"Lyon"},"zip":{"N":"69001"}}},
               "lines":{"L":[{"S":"a"},{"N":"2"},{"M":{"sku":{"S":"X-1"}}}]},
               "tags":{"SS":["red","blue"]},"sizes":{"NS":["1.5","3"]},"chunks":{"BS":["AA==","AQ=="]},
               "emoji":{"S":"h\\u00e9\\ud83d\\ude00"},"dash-name":{"S":"d"}}"""));

  /** The values every expression below may use. */
  static final String VALUES =
      """
      {":order":{"S":"order#"},":big":{"N":"12345678901234567890.4"},
       ":bigger":{"N":"12345678901234567890.6"},":three":{"N":"3.0"},":two":{"N":"2"},
       ":ten":{"N":"10"},":red":{"S":"red"},":green":{"S":"green"},":lyon":{"S":"Lyon"},
       ":b0":{"B":"AA=="},":b01":{"B":"AAE="},":b2":{"B":"Ag=="},":true":{"BOOL":true},
       ":null":{"NULL":true},":S":{"S":"S"},":N":{"S":"N"},":M":{"S":"M"},":SS":{"S":"SS"},
       ":a":{"S":"a"},":X":{"S":"X-1"},":sku":{"M":{"sku":{"S":"X-1"}}},":n15":{"N":"1.50"},
       ":tagsSet":{"SS":["blue","red"]},":six":{"N":"6"},":seven":{"N":"7"}}""";

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          pk = :order                                   | false
          begins_with(pk, :order)                       | true
          begins_with(#p, :order)                       | true
          begins_with(blob, :b01)                       | true
          begins_with(blob, :b2)                        | false
          begins_with(qty, :order)                      | false
          total > :big                                  | true
          total < :bigger                               | true
          total BETWEEN :big AND :bigger                | true
          qty = :three                                  | true
          qty <> :three                                 | false
          qty >= :three AND qty <= :three               | true
          qty < :two                                    | false
          pk > :order                                   | true
          blob > :b0                                    | true
          blob < :b2                                    | true
          qty = :red                                    | false
          qty <> :red                                   | true
          qty < :red                                    | false
          missing = :red                                | false
          missing <> :red                               | true
          missing < :red                                | false
          paid = :true                                  | true
          note = :null                                  | true
          tags = :tagsSet                               | true
          lines[2] = :sku                               | true
          lines[2].sku = :X                             | true
          lines[3] = :sku                               | false
          address.city = :lyon                          | true
          address.city.x = :lyon                        | false
          #a.#c = :lyon                                 | true
          #dash = :a                                    | false
          qty IN (:two, :three)                         | true
          qty IN (:two, :ten)                           | false
          missing IN (:two)                             | false
          attribute_exists(pk)                          | true
          attribute_exists(missing)                     | false
          attribute_not_exists(missing)                 | true
          attribute_exists(lines[2].sku)                | true
          attribute_exists(lines[9])                    | false
          attribute_type(pk, :S)                        | true
          attribute_type(qty, :N)                       | true
          attribute_type(address, :M)                   | true
          attribute_type(tags, :SS)                     | true
          attribute_type(tags, :S)                      | false
          attribute_type(missing, :S)                   | false
          contains(pk, :order)                          | true
          contains(tags, :red)                          | true
          contains(tags, :green)                        | false
          contains(sizes, :n15)                         | true
          contains(chunks, :b0)                         | true
          contains(blob, :b01)                          | true
          contains(lines, :a)                           | true
          contains(lines, :two)                         | true
          contains(lines, :sku)                         | true
          contains(lines, :X)                           | false
          contains(qty, :three)                         | false
          size(pk) = :ten                               | false
          size(tags) = :two                             | true
          size(lines) = :three                          | true
          size(address) = :two                          | true
          size(blob) = :three                           | true
          size(emoji) = :seven                          | true
          size(qty) = :three                            | false
          size(qty) <> :three                           | true
          size(missing) < :ten                          | false
          size(:red) = :three                           | true
          qty BETWEEN :two AND :ten                     | true
          qty BETWEEN :ten AND :ten                     | false
          pk BETWEEN :order AND :red                    | true
          missing BETWEEN :two AND :ten                 | false
          NOT qty = :two                                | true
          not qty = :three                              | false
          qty = :two OR qty = :three AND pk = :red      | false
          (qty = :two OR qty = :three) AND pk <> :red   | true
          qty = :three OR qty = :two AND pk = :red      | true
          NOT qty = :two AND qty = :two                 | false
          NOT (qty = :two AND qty = :two)               | true
          NOT NOT attribute_exists(pk)                  | true
          """)
  void evaluatesLikeDynamoDb(String expression, boolean expected) {
    ExpressionAttributes attributes =
        ExpressionAttributes.of(
            Map.of("#p", "pk", "#a", "address", "#c", "city", "#dash", "dash-name"), values());
    assertEquals(expected, ConditionParser.parse(expression, attributes).test(ITEM));
  }

  @Test
  void aMissingItemHasNoAttributes() {
    ExpressionAttributes attributes = ExpressionAttributes.of(null, values());
    assertTrue(ConditionParser.parse("attribute_not_exists(pk)", attributes).test(null));
    assertFalse(ConditionParser.parse("attribute_exists(pk)", attributes).test(null));
    assertTrue(ConditionParser.parse("pk <> :red", attributes).test(null));
    assertFalse(ConditionParser.parse("size(pk) >= :two", attributes).test(null));
  }

  @Test
  void keywordsAreCaseInsensitiveAndFunctionNamesAreNot() {
    ExpressionAttributes attributes = ExpressionAttributes.of(null, values());
    assertTrue(
        ConditionParser.parse("qty between :two and :ten or NoT qty in (:two)", attributes)
            .test(ITEM));
    assertEquals(
        "Invalid ConditionExpression: Invalid function name; function: Begins_With",
        error("Begins_With(pk, :order)"));
  }

  @Test
  void anUnusedNameOrValueIsRefusedOnceTheRequestIsParsed() {
    ExpressionAttributes attributes =
        ExpressionAttributes.of(Map.of("#p", "pk", "#q", "qty"), values());
    ConditionParser.parse("attribute_exists(#p)", attributes);
    assertEquals(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#q}",
        assertThrows(InvalidValueException.class, attributes::requireAllUsed).getMessage());

    ExpressionAttributes values =
        ExpressionAttributes.of(
            null, Map.of(":a", AttributeValue.s("a"), ":b", AttributeValue.n(1)));
    ConditionParser.parse("pk = :a", values);
    assertEquals(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}",
        assertThrows(InvalidValueException.class, values::requireAllUsed).getMessage());

    ExpressionAttributes all =
        ExpressionAttributes.of(Map.of("#p", "pk"), Map.of(":a", AttributeValue.s("a")));
    ConditionParser.parse("#p = :a", all);
    all.requireAllUsed();
  }

  @Test
  void refusesMalformedAttributeParameters() {
    assertEquals(
        "ExpressionAttributeValues must not be empty",
        assertThrows(InvalidValueException.class, () -> ExpressionAttributes.of(null, Map.of()))
            .getMessage());
    assertEquals(
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"p\"",
        assertThrows(
                InvalidValueException.class, () -> ExpressionAttributes.of(Map.of("p", "pk"), null))
            .getMessage());
  }

  @Test
  void speaksOfTheParameterItParses() {
    InvalidValueException e =
        assertThrows(
            InvalidValueException.class,
            () -> ConditionParser.parse("pk = ", ExpressionAttributes.none(), Syntax.FILTER));
    assertTrue(e.getMessage().startsWith("Invalid FilterExpression: Syntax error"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          pk = :nope                       | An expression attribute value used in expression is not defined; attribute value: :nope
          #nope = :red                     | An expression attribute name used in the document path is not defined; attribute name: #nope
          pk =                             | Syntax error; token: "<EOF>", near: "pk ="; expected an attribute name, #name or :value
          pk :red                          | Syntax error; token: ":red", near: "pk :red"; expected a comparator (= <> < <= > >=), BETWEEN or IN after pk
          pk = :red extra                  | Syntax error; token: "extra", near: "pk = :red extra"; expected AND, OR or the end
          (pk = :red                       | Syntax error; token: "<EOF>", near: "(pk = :red"; expected ')'
          lines[x] = :red                  | Syntax error; token: "x", near: "lines[x] = :red"; expected a list index
          and = :red                       | Syntax error; token: "and", near: "and = :red"; expected an attribute name, #name or :value
          qty < :true                      | Incorrect operand type for operator or function; operator or function: <, operand type: BOOL
          :sku >= qty                      | Incorrect operand type for operator or function; operator or function: >=, operand type: M
          qty BETWEEN :two AND :red        | The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {S:red}
          qty BETWEEN :ten AND :two        | The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:2}
          qty BETWEEN :two :ten            | Syntax error; token: ":ten", near: "WEEN :two :ten"; expected AND (of BETWEEN)
          begins_with(pk, :two)            | Incorrect operand type for operator or function; operator or function: begins_with, operand type: N
          attribute_exists(:red)           | Operator or function requires a document path; operator or function: attribute_exists
          attribute_type(pk, :true)        | Incorrect operand type for operator or function; operator or function: attribute_type, operand type: BOOL
          attribute_type(pk, :red)         | Invalid attribute type name found in type parameter; type: red (one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)
          size(pk)                         | The function is not allowed to be used this way in an expression; function: size
          size(:two) = :two                | Incorrect operand type for operator or function; operator or function: size, operand type: N
          size(size(pk)) = :two            | Incorrect operand type for operator or function; operator or function: size, operand type: N
          begins_with(pk, :order) = :true  | The function is not allowed to be used this way in an expression; function: begins_with
          pk = contains(pk, :a)            | The function is not allowed to be used this way in an expression; function: contains
          foo(pk)                          | Invalid function name; function: foo
          """)
  void refusesWhatDynamoDbRefusesWithItsMessage(String expression, String message) {
    assertEquals("Invalid ConditionExpression: " + message, error(expression));
  }

  @Test
  void refusesLiteralsAndEmptyExpressions() {
    // DynamoDB expressions have no literals: constants come from ExpressionAttributeValues
    assertEquals(
        "Invalid ConditionExpression: Invalid character ''' at position 6", error("pk = 'red'"));
    assertEquals("Invalid ConditionExpression: The expression can not be empty;", error("  "));
  }

  @Test
  void refusesTooManyInOperandsAndTooLongExpressions() {
    String hundredAndOne = ":two" + ", :two".repeat(100);
    assertEquals(
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number"
            + " of operands: 101",
        error("qty IN (" + hundredAndOne + ")"));
    String longest = "qty = :two" + " OR qty = :two".repeat(292);
    assertEquals(4098, longest.length());
    assertTrue(
        error(longest)
            .startsWith("Invalid ConditionExpression: Expression size has exceeded the maximum"));
  }

  @Test
  void boundsNestingSoThatNoExpressionOverflowsTheStack() {
    ExpressionAttributes attributes = ExpressionAttributes.of(null, values());
    String deepest = "(".repeat(128) + "NOT ".repeat(128) + "qty = :three" + ")".repeat(128);
    assertTrue(ConditionParser.parse(deepest, attributes).test(ITEM));
    String message =
        "Invalid ConditionExpression: The expression nests parentheses and NOT more than 256"
            + " levels deep";
    assertEquals(message, error("(".repeat(257) + "qty = :two" + ")".repeat(257)));
    assertEquals(message, error("NOT ".repeat(257) + "qty = :two"));
    // 4 KB of parentheses: once a StackOverflowError, now a validation error
    assertEquals(message, error("(".repeat(2040) + "qty = :two" + ")".repeat(2040)));
  }

  static String error(String expression) {
    return assertThrows(
            InvalidValueException.class,
            () ->
                ConditionParser.parse(
                    expression, ExpressionAttributes.of(Map.of("#p", "pk"), values())))
        .getMessage();
  }

  static Map<String, AttributeValue> values() {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json(VALUES).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      values.put(e.getKey(), DynamoJson.readValue(e.getValue()));
    }
    return values;
  }

  static JsonNode json(String text) {
    try {
      return PlainJson.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
