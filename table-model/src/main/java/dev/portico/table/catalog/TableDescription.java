package dev.portico.table.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.table.key.KeySchema;

/** A table as DynamoDB's DescribeTable, CreateTable and DeleteTable answer it. */
public final class TableDescription {
  /** The account and region Portico's ARNs name (it has neither). */
  public static final String ARN_PREFIX = "arn:aws:dynamodb:local:000000000000:table/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TableDescription() {}

  /**
   * @param status ACTIVE, or DELETING in DeleteTable's answer
   */
  public static ObjectNode of(TableDefinition table, String status) {
    ObjectNode out = NODES.objectNode();
    KeySchema key = table.key();
    ArrayNode attributes = out.putArray("AttributeDefinitions");
    ArrayNode schema = out.putArray("KeySchema");
    attributes
        .addObject()
        .put("AttributeName", key.partitionKey())
        .put("AttributeType", key.partitionType().name());
    schema.addObject().put("AttributeName", key.partitionKey()).put("KeyType", "HASH");
    if (key.hasSortKey()) {
      attributes
          .addObject()
          .put("AttributeName", key.sortKey())
          .put("AttributeType", key.sortType().name());
      schema.addObject().put("AttributeName", key.sortKey()).put("KeyType", "RANGE");
    }
    out.put("TableName", table.name());
    out.put("TableStatus", status);
    out.put("CreationDateTime", table.createdAtMillis() / 1000.0);
    out.putObject("ProvisionedThroughput")
        .put("NumberOfDecreasesToday", 0)
        .put("ReadCapacityUnits", 0)
        .put("WriteCapacityUnits", 0);
    out.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST");
    out.put("TableSizeBytes", 0);
    out.put("ItemCount", 0);
    out.put("TableArn", ARN_PREFIX + table.name());
    if (table.streamViewType() != null) {
      out.putObject("StreamSpecification")
          .put("StreamEnabled", true)
          .put("StreamViewType", table.streamViewType());
    }
    return out;
  }
}
