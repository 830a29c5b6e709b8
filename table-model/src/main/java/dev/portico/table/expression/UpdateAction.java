package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.Bytes;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One action of an UpdateExpression: what it does to the value at its path, given the value there
 * before ({@code null}: missing) and answering the value after ({@code null}: remove it).
 */
public sealed interface UpdateAction
    permits UpdateAction.SetAction,
        UpdateAction.RemoveAction,
        UpdateAction.AddAction,
        UpdateAction.DeleteAction {

  Path path();

  /** {@code SET path = value}; the value was computed from the item before the update. */
  record SetAction(Path path, UpdateValue value) implements UpdateAction {}

  /** {@code REMOVE path}: a missing attribute or list element is no error. */
  record RemoveAction(Path path) implements UpdateAction {}

  /**
   * {@code ADD path :value}: a number is added (a missing attribute counts as 0), a set's members
   * are added to a set of the same type (a missing attribute counts as the empty set).
   */
  record AddAction(Path path, AttributeValue value) implements UpdateAction {
    AttributeValue apply(AttributeValue old) {
      if (old == null) {
        return value;
      }
      if (old instanceof AttributeValue.N a && value instanceof AttributeValue.N b) {
        return new AttributeValue.N(a.value().add(b.value()));
      }
      if (old instanceof AttributeValue.SS a && value instanceof AttributeValue.SS b) {
        return new AttributeValue.SS(union(a.value(), b.value()));
      }
      if (old instanceof AttributeValue.NS a && value instanceof AttributeValue.NS b) {
        return new AttributeValue.NS(union(a.value(), b.value()));
      }
      if (old instanceof AttributeValue.BS a && value instanceof AttributeValue.BS b) {
        return new AttributeValue.BS(union(a.value(), b.value()));
      }
      throw UpdateValue.incorrectType();
    }
  }

  /**
   * {@code DELETE path :set}: the members are removed from a set of the same type; a set left empty
   * is removed, as DynamoDB has no empty sets; a missing attribute stays missing.
   */
  record DeleteAction(Path path, AttributeValue value) implements UpdateAction {
    AttributeValue apply(AttributeValue old) {
      if (old == null) {
        return null;
      }
      if (old instanceof AttributeValue.SS a && value instanceof AttributeValue.SS b) {
        Set<String> left = minus(a.value(), b.value());
        return left.isEmpty() ? null : new AttributeValue.SS(left);
      }
      if (old instanceof AttributeValue.NS a && value instanceof AttributeValue.NS b) {
        Set<BigDecimal> left = minus(a.value(), b.value());
        return left.isEmpty() ? null : new AttributeValue.NS(left);
      }
      if (old instanceof AttributeValue.BS a && value instanceof AttributeValue.BS b) {
        Set<Bytes> left = minus(a.value(), b.value());
        return left.isEmpty() ? null : new AttributeValue.BS(left);
      }
      throw UpdateValue.incorrectType();
    }
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> both = new LinkedHashSet<>(a);
    both.addAll(b);
    return both;
  }

  private static <T> Set<T> minus(Set<T> a, Set<T> b) {
    Set<T> left = new LinkedHashSet<>(a);
    left.removeAll(b);
    return left;
  }
}
