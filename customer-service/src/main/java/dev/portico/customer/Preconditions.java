package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.customer.condition.Condition;
import dev.portico.customer.condition.ConditionParser;
import dev.portico.customer.condition.ConditionSyntaxException;
import dev.portico.customer.condition.UncomparableValueException;

/**
 * The preconditions of a write, parsed before anything is read: {@code If-Match} (an ETag list or
 * {@code *}) and {@code If-None-Match: *} fail with 412; a false {@code x-condition} fails with
 * 409. With {@code x-return-values-on-condition-check-failure: ALL_OLD} a failure carries the
 * current item. A condition that reads a value it cannot compare fails with 400.
 */
record Preconditions(
    String ifMatch, boolean ifNoneMatch, Condition condition, boolean returnOnFailure) {

  static Preconditions of(FunctionRequest request) throws ItemValidation.Invalid {
    String ifNoneMatch = ItemTable.header(request, "if-none-match");
    if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
      throw new ItemValidation.Invalid(400, "If-None-Match supports only *");
    }
    String expression = ItemTable.header(request, ItemTable.CONDITION_HEADER);
    Condition condition = null;
    if (expression != null) {
      try {
        condition = ConditionParser.parse(expression);
      } catch (ConditionSyntaxException e) {
        throw new ItemValidation.Invalid(400, "Invalid condition expression: " + e.getMessage());
      }
    }
    String onFailure = ItemTable.header(request, ItemTable.RETURN_ON_FAILURE_HEADER);
    boolean returnOld =
        ReturnValues.parse(onFailure, ReturnValues.NONE, ReturnValues.NONE, ReturnValues.ALL_OLD)
            == ReturnValues.ALL_OLD;
    return new Preconditions(
        ItemTable.header(request, "if-match"), ifNoneMatch != null, condition, returnOld);
  }

  /** The failure response, or {@code null} when every precondition holds. */
  FunctionResponse check(StoredItem current) {
    if (ifMatch != null && !matches(ifMatch, current)) {
      return Responses.conditionFailed(
          412, ItemTable.CONDITION_FAILED, returnOnFailure ? current : null);
    }
    if (ifNoneMatch && current != null) {
      return Responses.conditionFailed(
          412, ItemTable.CONDITION_FAILED, returnOnFailure ? current : null);
    }
    if (condition != null) {
      boolean holds;
      try {
        holds = condition.test(current == null ? null : current.item());
      } catch (UncomparableValueException e) {
        return Responses.message(400, "Invalid condition expression: " + e.getMessage());
      }
      if (!holds) {
        return Responses.conditionFailed(
            409, ItemTable.CONDITION_FAILED, returnOnFailure ? current : null);
      }
    }
    return null;
  }

  private static boolean matches(String ifMatch, StoredItem current) {
    if (current == null) {
      return false;
    }
    for (String tag : ifMatch.split(",")) {
      String trimmed = tag.trim();
      if (trimmed.equals("*") || trimmed.equals(current.etag())) {
        return true;
      }
    }
    return false;
  }
}
