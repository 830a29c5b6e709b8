package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed UpdateExpression, applied to an item (or to no item: UpdateItem creates it).
 *
 * <p>As in DynamoDB, every operand is read from the item as it was before the update, and list
 * indexes name the elements as they were: the SET, ADD and DELETE actions are applied first, then
 * the removals (REMOVE, and DELETE leaving a set empty) from the highest list index down, so that
 * {@code REMOVE a[0], a[2]} removes the first and third elements.
 */
public final class UpdateExpression {
  private final List<UpdateAction> actions;

  private UpdateExpression(List<UpdateAction> actions) {
    this.actions = List.copyOf(actions);
  }

  /**
   * Parses an UpdateExpression for a table whose key attributes are {@code keyAttributes}.
   *
   * @throws InvalidValueException a syntax error, an expression DynamoDB would refuse, or an action
   *     on a key attribute
   */
  public static UpdateExpression parse(
      String expression, ExpressionAttributes attributes, Collection<String> keyAttributes) {
    List<UpdateAction> actions = UpdateParser.parse(expression, attributes);
    for (UpdateAction action : actions) {
      String attribute = (String) action.path().steps().get(0);
      if (keyAttributes.contains(attribute)) {
        throw new InvalidValueException(
            "One or more parameter values were invalid: Cannot update attribute "
                + attribute
                + ". This attribute is part of the key");
      }
    }
    return new UpdateExpression(actions);
  }

  public List<UpdateAction> actions() {
    return actions;
  }

  /** The paths the update writes or removes, in the expression's order (for UPDATED_OLD/NEW). */
  public List<Path> paths() {
    return actions.stream().map(UpdateAction::path).toList();
  }

  /**
   * The item after the update; {@code item} is not changed ({@code null}: there is no item yet).
   *
   * @throws InvalidValueException an operand missing or of the wrong type, a path whose parent is
   *     missing or of the wrong kind, or a number beyond DynamoDB's range or precision
   */
  public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> before = item == null ? Map.of() : item;
    Map<String, AttributeValue> after = before;
    Map<UpdateAction, AttributeValue> newValues = new IdentityHashMap<>();
    for (UpdateAction action : actions) {
      if (action instanceof UpdateAction.SetAction set) {
        newValues.put(action, set.value().value(item));
      }
    }
    List<Path> removals = new ArrayList<>();
    for (UpdateAction action : actions) {
      Path path = action.path();
      if (action instanceof UpdateAction.SetAction) {
        after = Documents.change(after, written(path, before), old -> newValues.get(action));
      } else if (action instanceof UpdateAction.AddAction add) {
        after = Documents.change(after, written(path, before), add::apply);
      } else if (action instanceof UpdateAction.DeleteAction delete
          && delete.apply(path.resolve(after)) != null) {
        after = Documents.change(after, path, delete::apply);
      } else {
        // refused like any path (its parent must exist); a no-op unless it was in the item before,
        // so that an element SET appended is not taken for one the REMOVE names
        Documents.change(before, path, old -> null);
        if (path.resolve(before) != null) {
          removals.add(path);
        }
      }
    }
    removals.sort((a, b) -> compareSteps(b, a));
    for (Path path : removals) {
      after = Documents.change(after, path, old -> null);
    }
    return after;
  }

  /**
   * Where a write lands: {@code path}, except that a list index past the end of the list before the
   * update appends, even when an earlier action's append has made the list long enough.
   */
  private static Path written(Path path, Map<String, AttributeValue> before) {
    List<Object> steps = path.steps();
    if (!(steps.get(steps.size() - 1) instanceof Integer) || path.resolve(before) != null) {
      return path;
    }
    List<Object> append = new ArrayList<>(steps.subList(0, steps.size() - 1));
    append.add(Integer.MAX_VALUE);
    return new Path(append);
  }

  /** Orders paths step by step, list indexes numerically (paths never conflict, see parse). */
  private static int compareSteps(Path a, Path b) {
    for (int i = 0; i < Math.min(a.steps().size(), b.steps().size()); i++) {
      Object x = a.steps().get(i);
      Object y = b.steps().get(i);
      int order =
          x instanceof Integer n && y instanceof Integer m
              ? Integer.compare(n, m)
              : x.toString().compareTo(y.toString());
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(a.steps().size(), b.steps().size());
  }

  @Override
  public String toString() {
    return actions.toString();
  }
}
