package dev.portico.table.expression;

import static dev.portico.table.expression.UpdateExpressionTest.item;
import static dev.portico.table.expression.UpdateExpressionTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import dev.portico.table.value.InvalidValueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectionExpressionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          qty                        | {"qty":{"N":"3"}}
          qty, #n                    | {"qty":{"N":"3"},"name":{"S":"ann"}}
          QTY, missing               | {}
          address.city               | {"address":{"M":{"city":{"S":"Lyon"}}}}
          address.geo.lat, qty       | {"address":{"M":{"geo":{"M":{"lat":{"N":"45.7"}}}}},"qty":{"N":"3"}}
          address.city, address.geo  | {"address":{"M":{"city":{"S":"Lyon"},"geo":{"M":{"lat":{"N":"45.7"}}}}}}
          address.nothing            | {}
          lines[1]                   | {"lines":{"L":[{"S":"b"}]}}
          lines[3], lines[1]         | {"lines":{"L":[{"S":"b"},{"M":{"sku":{"S":"X"}}}]}}
          lines[3].sku, lines[0]     | {"lines":{"L":[{"S":"a"},{"M":{"sku":{"S":"X"}}}]}}
          lines[9], lines[2]         | {"lines":{"L":[{"S":"c"}]}}
          lines[9]                   | {}
          tags, #d                   | {"tags":{"SS":["red","blue"]}}
          """)
  void keepsTheItemsStructure(String expression, String expected) {
    Map<String, AttributeValue> projected =
        ProjectionExpression.parse(expression, names()).project(item());
    assertEquals(json(expected), DynamoJson.write(projected));
  }

  @Test
  void projectsNoItemToNoItem() {
    assertNull(ProjectionExpression.parse("a", names()).project(null));
  }

  @Test
  void knowsItsPaths() {
    assertEquals(
        List.of(Path.of("a", "b"), Path.of("name", 2)),
        ProjectionExpression.parse("a.b, #n[2]", names()).paths());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a, a                | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]
          a.b, c, a           | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]
          a[1], a[1].b        | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, [1], b]
          a.b, a[1]           | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]
          a b                 | Syntax error; token: "b", near: "a b"; expected ',' or the end
          a,                  | Syntax error; token: "<EOF>", near: "a,"; expected an attribute name or #name
          :v                  | Syntax error; token: ":v", near: ":v"; expected an attribute name or #name
          a[-1]               | Syntax error; token: "-", near: "a[-1]"; expected a list index
          #nope               | An expression attribute name used in the document path is not defined; attribute name: #nope
          """)
  void refusesWhatDynamoDbRefuses(String expression, String message) {
    assertEquals(
        "Invalid ProjectionExpression: " + message,
        assertThrows(
                InvalidValueException.class, () -> ProjectionExpression.parse(expression, names()))
            .getMessage());
  }

  @Test
  void refusesEmptyExpressionsAndExpressionsLongerThan4Kb() {
    assertEquals(
        "Invalid ProjectionExpression: The expression can not be empty;",
        assertThrows(InvalidValueException.class, () -> ProjectionExpression.parse(" ", names()))
            .getMessage());
    String longest = "a, a" + "b".repeat(4093);
    assertEquals(4097, longest.length());
    assertThrows(InvalidValueException.class, () -> ProjectionExpression.parse(longest, names()));
    ProjectionExpression.parse(longest.substring(0, 4096), names());
  }

  @Test
  void theParsedNamesCountAsUsed() {
    ExpressionAttributes attributes = names();
    ProjectionExpression.parse("#n, #d", attributes);
    attributes.requireAllUsed();
  }

  static ExpressionAttributes names() {
    return ExpressionAttributes.of(Map.of("#n", "name", "#d", "[3]"), null);
  }
}
