package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpdateExpressionTest {
  /** The item every update below starts from, in DynamoDB JSON. */
  static final String ITEM =
      """
      {"pk":{"S":"k"},"qty":{"N":"3"},"name":{"S":"ann"},
       "address":{"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"45.7"}}}}},
       "lines":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}}]},
       "tags":{"SS":["red","blue"]},"sizes":{"NS":["1","2"]},"chunks":{"BS":["AA=="]}}""";

  /** The values every expression below may use. */
  static final String VALUES =
      """
      {":one":{"N":"1"},":two":{"N":"2"},":s":{"S":"x"},":l":{"L":[{"S":"y"},{"S":"z"}]},
       ":empty":{"L":[]},":red":{"SS":["red"]},":green":{"SS":["green","red"]},
       ":tags":{"SS":["red","blue"]},":n3":{"NS":["3","1"]},":b1":{"BS":["AQ=="]},
       ":b0":{"BS":["AA=="]},":true":{"BOOL":true},":map":{"M":{"a":{"N":"1"}}},
       ":max":{"N":"9.9999999999999999999999999999999999999E+125"},":nine":{"N":"9E+125"},
       ":min":{"N":"1E-130"},":min2":{"N":"1.1E-130"},":big":{"N":"1E+37"},
       ":tiny":{"N":"1E-37"},":38":{"N":"12345678901234567890123456789012345678"}}""";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SET qty = :two                           | qty      | {"N":"2"}
          set qty = :two                           | qty      | {"N":"2"}
          SET fresh = :s                           | fresh    | {"S":"x"}
          SET qty = qty + :one                     | qty      | {"N":"4"}
          SET qty = qty - :two                     | qty      | {"N":"1"}
          SET qty = :one - qty                     | qty      | {"N":"-2"}
          SET qty = :one + :two                    | qty      | {"N":"3"}
          SET qty = :38 - :one                     | qty      | {"N":"12345678901234567890123456789012345677"}
          SET qty = :min + :min                    | qty      | {"N":"2E-130"}
          SET copy = address.geo                   | copy     | {"M":{"lat":{"N":"45.7"}}}
          SET copy = lines[3].sku                  | copy     | {"S":"X"}
          SET #n = if_not_exists(#n, :s)           | name     | {"S":"ann"}
          SET nick = if_not_exists(nick, :s)       | nick     | {"S":"x"}
          SET nick = if_not_exists(nick, name)     | nick     | {"S":"ann"}
          SET qty = if_not_exists(n, :one) + :two  | qty      | {"N":"3"}
          SET lines = list_append(lines, :l)       | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}},{"S":"y"},{"S":"z"}]}
          SET lines = list_append(:l, :empty)      | lines    | {"L":[{"S":"y"},{"S":"z"}]}
          SET l2 = list_append(if_not_exists(l2, :empty), :l) | l2 | {"L":[{"S":"y"},{"S":"z"}]}
          SET address.city = :s                    | address  | {"M":{"city":{"S":"x"},"geo":{"M":{"lat":{"N":"45.7"}}}}}
          SET address.zip = :one                   | address  | {"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"45.7"}}},"zip":{"N":"1"}}}
          SET address.geo.lat = :two               | address  | {"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"2"}}}}}
          SET lines[1] = :s                        | lines    | {"L":[{"S":"a"},{"S":"x"},{"S":"c"},{"M":{"sku":{"S":"X"}}}]}
          SET lines[3].sku = :s                    | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"x"}}}]}
          SET lines[99] = :s                       | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}},{"S":"x"}]}
          SET lines[4] = :s, lines[9] = :one       | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}},{"S":"x"},{"N":"1"}]}
          SET lines[9] = :s, lines[4] = :one       | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}},{"S":"x"},{"N":"1"}]}
          REMOVE lines[0], lines[2]                | lines    | {"L":[{"S":"b"},{"M":{"sku":{"S":"X"}}}]}
          REMOVE lines[2], lines[0]                | lines    | {"L":[{"S":"b"},{"M":{"sku":{"S":"X"}}}]}
          REMOVE lines[9]                          | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}}]}
          REMOVE lines[3].sku                      | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{}}]}
          SET lines[1] = :s REMOVE lines[0]        | lines    | {"L":[{"S":"x"},{"S":"c"},{"M":{"sku":{"S":"X"}}}]}
          SET lines[7] = :s REMOVE lines[4]        | lines    | {"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"M":{"sku":{"S":"X"}}},{"S":"x"}]}
          REMOVE address.geo                       | address  | {"M":{"city":{"S":"Lyon"}}}
          REMOVE address.nothing                   | address  | {"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"45.7"}}}}}
          ADD qty :two                             | qty      | {"N":"5"}
          ADD counter :one                         | counter  | {"N":"1"}
          ADD address.geo.lat :one                 | address  | {"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"46.7"}}}}}
          ADD tags :green                          | tags     | {"SS":["red","blue","green"]}
          ADD sizes :n3                            | sizes    | {"NS":["1","2","3"]}
          ADD chunks :b1                           | chunks   | {"BS":["AA==","AQ=="]}
          ADD newset :red                          | newset   | {"SS":["red"]}
          DELETE tags :red                         | tags     | {"SS":["blue"]}
          DELETE tags :green                       | tags     | {"SS":["blue"]}
          DELETE sizes :n3                         | sizes    | {"NS":["2"]}
          """)
  void setsOneAttribute(String expression, String attribute, String expected) {
    Map<String, AttributeValue> after = update(expression);
    assertEquals(DynamoJson.readValue(json(expected)), after.get(attribute), expression);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          REMOVE qty                   | qty
          REMOVE nothing               | nothing
          DELETE tags :tags            | tags
          DELETE chunks :b0            | chunks
          DELETE nothing :red          | nothing
          """)
  void removesOneAttribute(String expression, String attribute) {
    Map<String, AttributeValue> after = update(expression);
    assertEquals(null, after.get(attribute));
    assertEquals(item().size() - (item().containsKey(attribute) ? 1 : 0), after.size());
  }

  @Test
  void readsEveryOperandFromTheItemBeforeTheUpdate() {
    Map<String, AttributeValue> after = update("SET qty = #n, #n = qty");
    assertEquals(AttributeValue.s("ann"), after.get("qty"));
    assertEquals(AttributeValue.n(3), after.get("name"));
  }

  @Test
  void clausesComeInAnyOrderAndAnyCase() {
    Map<String, AttributeValue> after =
        update("delete tags :red aDd qty :one remove address Set fresh = :s, #n = :s");
    assertEquals(AttributeValue.n(4), after.get("qty"));
    assertEquals(AttributeValue.s("x"), after.get("fresh"));
    assertEquals(AttributeValue.s("x"), after.get("name"));
    assertEquals(null, after.get("address"));
    assertEquals(Set.of("blue"), ((AttributeValue.SS) after.get("tags")).value());
  }

  @Test
  void leavesTheItemAsItWasAndAnswersAnImmutableOne() {
    Map<String, AttributeValue> item = item();
    Map<String, AttributeValue> copy = Map.copyOf(item);
    Map<String, AttributeValue> after = parse("SET address.city = :s REMOVE qty").apply(item);
    assertEquals(copy, item);
    assertThrows(UnsupportedOperationException.class, () -> after.put("x", AttributeValue.n(1)));
  }

  @Test
  void createsAnItemThatDoesNotExist() {
    Map<String, AttributeValue> created =
        parse("SET a = :s, b = if_not_exists(b, :one) ADD c :two, d :red REMOVE e").apply(null);
    assertEquals(
        Map.of(
            "a",
            AttributeValue.s("x"),
            "b",
            AttributeValue.n(1),
            "c",
            AttributeValue.n(2),
            "d",
            new AttributeValue.SS(Set.of("red"))),
        created);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SET x = missing                         | The provided expression refers to an attribute that does not exist in the item
          SET x = list_append(nothing, :l)        | The provided expression refers to an attribute that does not exist in the item
          SET x = missing + :one                  | The provided expression refers to an attribute that does not exist in the item
          SET x = #n + :one                       | An operand in the update expression has an incorrect data type
          SET x = tags - :one                     | An operand in the update expression has an incorrect data type
          SET x = list_append(#n, :l)             | An operand in the update expression has an incorrect data type
          ADD #n :one                             | An operand in the update expression has an incorrect data type
          ADD tags :n3                            | An operand in the update expression has an incorrect data type
          ADD qty :red                            | An operand in the update expression has an incorrect data type
          DELETE sizes :red                       | An operand in the update expression has an incorrect data type
          DELETE qty :red                         | An operand in the update expression has an incorrect data type
          SET x = :nine + :nine                    | Number overflow. Attempting to store a number with magnitude larger than supported range
          ADD qty :max, sizes :n3                 | Attempting to store more than 38 significant digits in a Number
          SET x = :big + :tiny                    | Attempting to store more than 38 significant digits in a Number
          SET x = :min - :min2                    | Number underflow. Attempting to store a number with magnitude smaller than supported range
          SET nothing.a = :s                      | The document path provided in the update expression is invalid for update
          SET nothing[0] = :s                     | The document path provided in the update expression is invalid for update
          SET #n.a = :s                           | The document path provided in the update expression is invalid for update
          SET address[0] = :s                     | The document path provided in the update expression is invalid for update
          SET lines.a = :s                        | The document path provided in the update expression is invalid for update
          SET lines[9].a = :s                     | The document path provided in the update expression is invalid for update
          REMOVE nothing.a                        | The document path provided in the update expression is invalid for update
          REMOVE nothing[1]                       | The document path provided in the update expression is invalid for update
          REMOVE address[1]                       | The document path provided in the update expression is invalid for update
          REMOVE lines.a                          | The document path provided in the update expression is invalid for update
          ADD nothing.a :one                      | The document path provided in the update expression is invalid for update
          DELETE nothing.a :red                   | The document path provided in the update expression is invalid for update
          """)
  void failsOnTheItemWithDynamoDbsMessage(String expression, String message) {
    UpdateExpression update = parse(expression);
    assertEquals(
        message,
        assertThrows(InvalidValueException.class, () -> update.apply(item())).getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SET a = :s SET b = :s                   | The "SET" section can only be used once in an update expression;
          remove a ADD b :one Remove c            | The "REMOVE" section can only be used once in an update expression;
          SET a = :s, a = :one                    | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]
          SET a.b = :s REMOVE a                   | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]
          SET #n[3].#d = :s, #n[3] = :s           | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [name, [3], [3]], path two: [name, [3]]
          REMOVE a.b SET a[1] = :s                | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]
          ADD a :s                                | Incorrect operand type for operator or function; operator: ADD, operand type: STRING
          ADD a :l                                | Incorrect operand type for operator or function; operator: ADD, operand type: LIST
          ADD a :true                             | Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN
          DELETE a :one                           | Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER
          DELETE a :map                           | Incorrect operand type for operator or function; operator: DELETE, operand type: MAP
          SET a = a + :s                          | Incorrect operand type for operator or function; operator or function: +, operand type: S
          SET a = :red - a                        | Incorrect operand type for operator or function; operator or function: -, operand type: SS
          SET a = list_append(:s, a)              | Incorrect operand type for operator or function; operator or function: list_append, operand type: S
          SET a = list_append(a, :one)            | Incorrect operand type for operator or function; operator or function: list_append, operand type: N
          SET a = if_not_exists(a)                | Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1
          SET a = list_append(a, a, a)            | Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3
          SET a = if_not_exists(:s, a)            | Operator or function requires a document path; operator or function: if_not_exists
          SET a = if_not_exists(if_not_exists(a, b), c) | Operator or function requires a document path; operator or function: if_not_exists
          SET a = size(b)                         | Invalid function name; function: size
          SET a = If_Not_Exists(a, :s)            | Invalid function name; function: If_Not_Exists
          SET a = :nope                           | An expression attribute value used in expression is not defined; attribute value: :nope
          SET #nope = :s                          | An expression attribute name used in the document path is not defined; attribute name: #nope
          SET a :s                                | Syntax error; token: ":s", near: "SET a :s"; expected '='
          UPSERT a = :s                           | Syntax error; token: "UPSERT", near: "UPSERT a ="; expected SET, REMOVE, ADD or DELETE
          SET a = :s,                             | Syntax error; token: "<EOF>", near: "ET a = :s,"; expected an attribute name or #name
          SET a = b + c + d                       | Syntax error; token: "+", near: "a = b + c + d"; expected ',', a clause or the end
          SET remove = :s                         | Syntax error; token: "remove", near: "SET remove = :"; expected an attribute name or #name
          ADD a b                                 | Syntax error; token: "b", near: "ADD a b"; expected a :value
          REMOVE                                  | Syntax error; token: "<EOF>", near: "REMOVE"; expected an attribute name or #name
          SET a = 'x'                             | Invalid character ''' at position 9
          """)
  void refusesWhatDynamoDbRefusesBeforeReadingTheItem(String expression, String message) {
    assertEquals("Invalid UpdateExpression: " + message, parseError(expression));
  }

  @Test
  void refusesEmptyAndTooLongExpressions() {
    assertEquals("Invalid UpdateExpression: The expression can not be empty;", parseError(" "));
    String longest = "SET a = :s" + " ".repeat(4087);
    assertEquals(4097, longest.length());
    assertEquals(
        "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"
            + " expression size: 4097",
        parseError(longest));
    parse("SET a = :s" + " ".repeat(4086));
  }

  @Test
  void refusesToUpdateAKeyAttribute() {
    for (String expression :
        List.of("SET pk = :s", "REMOVE qty, pk", "ADD pk.b :one", "DELETE sk :red", "SET x = pk")) {
      String attribute = expression.contains("sk") ? "sk" : "pk";
      if (expression.equals("SET x = pk")) {
        // reading a key attribute is fine
        UpdateExpression.parse(expression, attributes(), List.of("pk", "sk"));
        continue;
      }
      assertEquals(
          "One or more parameter values were invalid: Cannot update attribute "
              + attribute
              + ". This attribute is part of the key",
          assertThrows(
                  InvalidValueException.class,
                  () -> UpdateExpression.parse(expression, attributes(), List.of("pk", "sk")))
              .getMessage());
    }
  }

  @Test
  void namesAndValuesUsedByTheUpdateCountAsUsed() {
    ExpressionAttributes attributes =
        ExpressionAttributes.of(
            Map.of("#n", "name", "#q", "qty"),
            Map.of(":s", AttributeValue.s("x"), ":one", AttributeValue.n(1)));
    UpdateExpression.parse("SET #n = :s", attributes, List.of());
    ConditionParser.parse("#q > :one", attributes);
    attributes.requireAllUsed();
  }

  @Test
  void knowsThePathsItWrites() {
    assertEquals(
        List.of(Path.of("a", "b"), Path.of("l", 2), Path.of("c")),
        parse("SET a.b = :s REMOVE l[2] ADD c :one").paths());
  }

  static UpdateExpression parse(String expression) {
    return UpdateExpression.parse(expression, attributes(), List.of());
  }

  static Map<String, AttributeValue> update(String expression) {
    return parse(expression).apply(item());
  }

  static String parseError(String expression) {
    return assertThrows(InvalidValueException.class, () -> parse(expression)).getMessage();
  }

  static ExpressionAttributes attributes() {
    return ExpressionAttributes.of(Map.of("#n", "name", "#d", "[3]"), values(VALUES));
  }

  static Map<String, AttributeValue> item() {
    return DynamoJson.readItem(json(ITEM));
  }

  static Map<String, AttributeValue> values(String text) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json(text).fields(); it.hasNext(); ) {
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
