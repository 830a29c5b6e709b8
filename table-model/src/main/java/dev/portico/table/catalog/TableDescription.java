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
    java.util.Set<String> defined = new java.util.HashSet<>();
    define(attributes, defined, key);
    table.indexes().forEach(index -> define(attributes, defined, index.key()));
    out.set("KeySchema", keySchema(key));
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
    if (!table.indexes().isEmpty()) {
      ArrayNode indexes = out.putArray("GlobalSecondaryIndexes");
      for (IndexDefinition index : table.indexes()) {
        ObjectNode gsi = indexes.addObject();
        gsi.put("IndexName", index.name());
        gsi.set("KeySchema", keySchema(index.key()));
        ObjectNode projection = gsi.putObject("Projection");
        projection.put("ProjectionType", index.projectionType());
        if (!index.nonKeyAttributes().isEmpty()) {
          ArrayNode nonKey = projection.putArray("NonKeyAttributes");
          index.nonKeyAttributes().forEach(nonKey::add);
        }
        gsi.put("IndexStatus", "ACTIVE");
        gsi.putObject("ProvisionedThroughput")
            .put("NumberOfDecreasesToday", 0)
            .put("ReadCapacityUnits", 0)
            .put("WriteCapacityUnits", 0);
        gsi.put("IndexSizeBytes", 0);
        gsi.put("ItemCount", 0);
        gsi.put("IndexArn", ARN_PREFIX + table.name() + "/index/" + index.name());
      }
    }
    if (table.streamViewType() != null) {
      out.putObject("StreamSpecification")
          .put("StreamEnabled", true)
          .put("StreamViewType", table.streamViewType());
      out.put("LatestStreamArn", StreamArns.arn(table));
      out.put("LatestStreamLabel", StreamArns.label(table));
    }
    return out;
  }

  private static void define(ArrayNode attributes, java.util.Set<String> defined, KeySchema key) {
    if (defined.add(key.partitionKey())) {
      attributes
          .addObject()
          .put("AttributeName", key.partitionKey())
          .put("AttributeType", key.partitionType().name());
    }
    if (key.hasSortKey() && defined.add(key.sortKey())) {
      attributes
          .addObject()
          .put("AttributeName", key.sortKey())
          .put("AttributeType", key.sortType().name());
    }
  }

  private static ArrayNode keySchema(KeySchema key) {
    ArrayNode schema = NODES.arrayNode();
    schema.addObject().put("AttributeName", key.partitionKey()).put("KeyType", "HASH");
    if (key.hasSortKey()) {
      schema.addObject().put("AttributeName", key.sortKey()).put("KeyType", "RANGE");
    }
    return schema;
  }
}
