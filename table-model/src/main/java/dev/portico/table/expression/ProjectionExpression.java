package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed ProjectionExpression ({@code path ("," path)*}), and the projection of an item onto its
 * paths. As in DynamoDB, the projection keeps the item's structure: {@code a.b} gives {@code {a:
 * {b: ...}}}, and {@code l[1], l[3]} gives {@code {l: [l[1], l[3]]}} (the selected elements, in
 * index order); paths missing from the item are left out.
 */
public final class ProjectionExpression {
  private final List<Path> paths;

  private ProjectionExpression(List<Path> paths) {
    this.paths = List.copyOf(paths);
  }

  /**
   * @throws InvalidValueException a syntax error, an undefined {@code #name}, or two paths that
   *     overlap or conflict
   */
  public static ProjectionExpression parse(String expression, ExpressionAttributes attributes) {
    TokenCursor cursor = TokenCursor.of(expression, attributes, Syntax.PROJECTION, Set.of());
    List<Path> paths = new ArrayList<>();
    do {
      paths.add(cursor.path());
    } while (cursor.symbol(","));
    if (!cursor.atEnd()) {
      throw cursor.syntaxError(cursor.peek(), "',' or the end");
    }
    PathOverlap.check(paths, Syntax.PROJECTION);
    return new ProjectionExpression(paths);
  }

  public List<Path> paths() {
    return paths;
  }

  /** The item reduced to this projection's paths ({@code null} for no item). */
  public Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
    return item == null ? null : project(item, paths);
  }

  /** {@code item} reduced to {@code paths}, keeping its structure. */
  public static Map<String, AttributeValue> project(
      Map<String, AttributeValue> item, List<Path> paths) {
    Node root = new Node();
    for (Path path : paths) {
      AttributeValue value = path.resolve(item);
      if (value != null) {
        Node node = root;
        for (Object step : path.steps()) {
          node = step instanceof Integer index ? node.element(index) : node.member((String) step);
        }
        node.value = value;
      }
    }
    return ((AttributeValue.M) root.build()).value();
  }

  /** The part of the projected item under one step: a whole value, or selected members/elements. */
  private static final class Node {
    AttributeValue value;
    Map<String, Node> members;
    TreeMap<Integer, Node> elements;

    Node member(String name) {
      members = members == null ? new LinkedHashMap<>() : members;
      return members.computeIfAbsent(name, n -> new Node());
    }

    Node element(int index) {
      elements = elements == null ? new TreeMap<>() : elements;
      return elements.computeIfAbsent(index, i -> new Node());
    }

    AttributeValue build() {
      if (value != null) {
        return value;
      }
      if (elements != null) {
        List<AttributeValue> list = new ArrayList<>();
        elements.values().forEach(node -> list.add(node.build()));
        return new AttributeValue.L(list);
      }
      Map<String, AttributeValue> map = new LinkedHashMap<>();
      if (members != null) {
        members.forEach((name, node) -> map.put(name, node.build()));
      }
      return new AttributeValue.M(map);
    }
  }

  @Override
  public String toString() {
    return paths.toString();
  }
}
