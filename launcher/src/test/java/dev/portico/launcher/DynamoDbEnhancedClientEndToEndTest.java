package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The DynamoDB API through the AWS SDK's enhanced client, as teams map their classes to tables: a
 * {@code @DynamoDbBean} with a partition and a sort key, its table created from the class, and
 * items put, read, queried by a sort-key range, scanned, updated (also under a condition) and
 * deleted as objects.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class DynamoDbEnhancedClientEndToEndTest {
  Suite suite;
  DynamoDbClient dynamo;
  DynamoDbTable<Order> orders;

  /** A customer's order, by number. */
  @DynamoDbBean
  public static class Order {
    private String customer;
    private Integer orderNo;
    private Integer total;
    private String status;

    public Order() {}

    Order(String customer, int orderNo, int total, String status) {
      this.customer = customer;
      this.orderNo = orderNo;
      this.total = total;
      this.status = status;
    }

    @DynamoDbPartitionKey
    public String getCustomer() {
      return customer;
    }

    public void setCustomer(String customer) {
      this.customer = customer;
    }

    @DynamoDbSortKey
    public Integer getOrderNo() {
      return orderNo;
    }

    public void setOrderNo(Integer orderNo) {
      this.orderNo = orderNo;
    }

    public Integer getTotal() {
      return total;
    }

    public void setTotal(Integer total) {
      this.total = total;
    }

    public String getStatus() {
      return status;
    }

    public void setStatus(String status) {
      this.status = status;
    }
  }

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite = new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start();
    dynamo = suite.dynamoClient();
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
    orders = enhanced.table("EnhancedOrders", TableSchema.fromBean(Order.class));
    orders.createTable();
    for (int n = 1; n <= 6; n++) {
      orders.putItem(new Order("ada", n, n * 10, "new"));
    }
    orders.putItem(new Order("bob", 3, 7, "new"));
  }

  @AfterAll
  void stopSuite() {
    dynamo.close();
    suite.close();
  }

  static Key key(String customer, int orderNo) {
    return Key.builder().partitionValue(customer).sortValue(orderNo).build();
  }

  static List<Integer> orderNos(Iterable<Order> items) {
    return java.util.stream.StreamSupport.stream(items.spliterator(), false)
        .map(Order::getOrderNo)
        .toList();
  }

  @Test
  void theTableShouldBeCreatedFromTheBeanClass() {
    var table = orders.describeTable().table();
    assertEquals("EnhancedOrders", table.tableName());
    assertEquals("customer", table.keySchema().get(0).attributeName());
    assertEquals("orderNo", table.keySchema().get(1).attributeName());
    Order got = orders.getItem(key("ada", 3));
    assertEquals(30, got.getTotal());
    assertEquals("new", got.getStatus());
    // The bean's Integer is a DynamoDB number on the wire.
    var raw =
        dynamo.getItem(
            b ->
                b.tableName("EnhancedOrders")
                    .key(Map.of("customer", AttributeValue.fromS("ada"), "orderNo", n(3))));
    assertEquals(n(30), raw.item().get("total"));
  }

  static AttributeValue n(int value) {
    return AttributeValue.fromN(Integer.toString(value));
  }

  @Test
  void aQueryShouldReadASortKeyRangeOfOnePartition() {
    QueryConditional between = QueryConditional.sortBetween(key("ada", 2), key("ada", 4));
    assertEquals(List.of(2, 3, 4), orderNos(orders.query(between).items()));
    assertEquals(
        List.of(4, 3, 2),
        orderNos(
            orders
                .query(
                    QueryEnhancedRequest.builder()
                        .queryConditional(between)
                        .scanIndexForward(false)
                        .build())
                .items()));
    // Pages of 2: the enhanced client follows LastEvaluatedKey.
    var pages =
        orders.query(
            QueryEnhancedRequest.builder()
                .queryConditional(
                    QueryConditional.keyEqualTo(Key.builder().partitionValue("ada").build()))
                .limit(2)
                .build());
    assertEquals(List.of(1, 2, 3, 4, 5, 6), orderNos(pages.items()));
    assertTrue(pages.stream().count() >= 3, "pages of at most 2 items");
  }

  @Test
  void aScanShouldReturnEveryItemOnce() {
    Set<String> seen = new HashSet<>();
    int pages = 0;
    for (var page : orders.scan(ScanEnhancedRequest.builder().limit(3).build())) {
      pages++;
      for (Order order : page.items()) {
        assertTrue(seen.add(order.getCustomer() + "/" + order.getOrderNo()), "twice: " + order);
      }
    }
    assertTrue(pages >= 3, "pages of at most 3 items: " + pages);
    // cy's order comes and goes in another test.
    seen.remove("cy/1");
    assertEquals(Set.of("ada/1", "ada/2", "ada/3", "ada/4", "ada/5", "ada/6", "bob/3"), seen);
  }

  @Test
  void anItemShouldBeUpdatedUnderAConditionAndDeleted() {
    orders.putItem(new Order("cy", 1, 5, "new"));
    Order paid = new Order("cy", 1, 9, "paid");
    Expression whileNew =
        Expression.builder()
            .expression("#s = :new")
            .expressionNames(Map.of("#s", "status"))
            .expressionValues(Map.of(":new", AttributeValue.fromS("new")))
            .build();
    Order updated =
        orders.updateItem(
            UpdateItemEnhancedRequest.builder(Order.class)
                .item(paid)
                .conditionExpression(whileNew)
                .build());
    assertEquals("paid", updated.getStatus());
    assertEquals(9, updated.getTotal());
    assertThrows(
        ConditionalCheckFailedException.class,
        () ->
            orders.updateItem(
                UpdateItemEnhancedRequest.builder(Order.class)
                    .item(new Order("cy", 1, 0, "refunded"))
                    .conditionExpression(whileNew)
                    .build()));
    assertEquals(9, orders.getItem(key("cy", 1)).getTotal());

    // ignoreNulls: only the attributes the object carries change.
    Order partial = new Order();
    partial.setCustomer("cy");
    partial.setOrderNo(1);
    partial.setTotal(11);
    Order merged =
        orders.updateItem(
            UpdateItemEnhancedRequest.builder(Order.class).item(partial).ignoreNulls(true).build());
    assertEquals(11, merged.getTotal());
    assertEquals("paid", merged.getStatus());

    Order deleted = orders.deleteItem(key("cy", 1));
    assertEquals(11, deleted.getTotal());
    assertNull(orders.getItem(key("cy", 1)));
  }

  @Test
  void aDeletedTableShouldBeGone() {
    var scratch =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(dynamo)
            .build()
            .table("EnhancedScratch", TableSchema.fromBean(Order.class));
    scratch.createTable();
    scratch.putItem(new Order("dee", 1, 1, "new"));
    scratch.deleteTable();
    assertThrows(ResourceNotFoundException.class, () -> scratch.getItem(key("dee", 1)));
  }
}
