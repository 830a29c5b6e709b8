package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.edge.dynamo.DynamoApi;
import dev.portico.table.api.DynamoException;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The admin API's tables: the same operations as the DynamoDB API (the same bodies: a CreateTable
 * or UpdateTable request, a TimeToLiveSpecification; the same answers: DynamoDB's TableDescription,
 * TimeToLiveDescription), with the admin API's token and error shape. DynamoDB's errors become
 * statuses: ValidationException 400, ResourceNotFoundException 404, ResourceInUseException 409, a
 * table service that did not answer 503.
 */
final class TableHandlers {
  private static final Map<String, Integer> STATUS =
      Map.of(
          DynamoException.VALIDATION,
          400,
          "SerializationException",
          400,
          DynamoException.NOT_FOUND,
          404,
          DynamoException.IN_USE,
          409);

  private final DynamoApi api;

  TableHandlers(DynamoApi api) {
    this.api = api;
  }

  Future<Object> list(AdminRequest request) {
    return Future.succeededFuture(Map.of("tables", api.describeAll()));
  }

  Future<Object> create(AdminRequest request) {
    return call("CreateTable", request.body().tree(), "TableDescription");
  }

  Future<Object> get(AdminRequest request) {
    return call("DescribeTable", named(request), "Table");
  }

  Future<Object> update(AdminRequest request) {
    ObjectNode body = request.body().tree();
    body.put("TableName", request.path("table"));
    return call("UpdateTable", body, "TableDescription");
  }

  /** The table's time to live, as DescribeTimeToLive describes it. */
  Future<Object> getTtl(AdminRequest request) {
    return call("DescribeTimeToLive", named(request), "TimeToLiveDescription");
  }

  /** Sets the table's time to live: the body is UpdateTimeToLive's TimeToLiveSpecification. */
  Future<Object> putTtl(AdminRequest request) {
    ObjectNode body = named(request);
    body.set("TimeToLiveSpecification", request.body().tree());
    return call("UpdateTimeToLive", body, "TimeToLiveSpecification");
  }

  Future<Object> delete(AdminRequest request) {
    return call("DeleteTable", named(request), "TableDescription");
  }

  private static ObjectNode named(AdminRequest request) {
    return JsonNodeFactory.instance.objectNode().put("TableName", request.path("table"));
  }

  private Future<Object> call(String operation, JsonNode body, String member) {
    return api.handle(operation, body.toString())
        .<Object>map(answer -> DynamoApi.parse(answer).get(member))
        .recover(failure -> Future.failedFuture(asAdmin(failure)));
  }

  private static Throwable asAdmin(Throwable failure) {
    if (failure instanceof DynamoException e) {
      int status = STATUS.getOrDefault(e.type(), e.status() >= 500 ? 503 : 400);
      return new AdminException(status, e.type() + ": " + e.getMessage());
    }
    return failure;
  }
}
