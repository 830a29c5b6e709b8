package dev.portico.table.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateTableRequestTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  static final String ORDERS =
      "{'TableName':'Orders','AttributeDefinitions':[{'AttributeName':'customer','AttributeType':'S'},"
          + "{'AttributeName':'placed','AttributeType':'N'}],'KeySchema':[{'AttributeName':'customer',"
          + "'KeyType':'HASH'},{'AttributeName':'placed','KeyType':'RANGE'}]";

  @Test
  void shouldReadTheKeySchemaStreamAndIndexes() throws Exception {
    TableDefinition table =
        CreateTableRequest.read(
            json(
                ORDERS.replace(
                        "{'AttributeName':'placed','AttributeType':'N'}",
                        "{'AttributeName':'placed','AttributeType':'N'},{'AttributeName':'status','AttributeType':'S'}")
                    + ",'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'NEW_IMAGE'},"
                    + "'BillingMode':'PAY_PER_REQUEST','GlobalSecondaryIndexes':[{'IndexName':'byStatus',"
                    + "'KeySchema':[{'AttributeName':'status','KeyType':'HASH'},{'AttributeName':'placed',"
                    + "'KeyType':'RANGE'}],'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':['total']}}]}"),
            1_000);
    assertEquals(new KeySchema("customer", KeyType.S, "placed", KeyType.N), table.key());
    assertEquals("NEW_IMAGE", table.streamViewType());
    assertEquals(1_000, table.createdAtMillis());
    IndexDefinition index = table.index("byStatus").orElseThrow();
    assertEquals(new KeySchema("status", KeyType.S, "placed", KeyType.N), index.key());
    assertEquals(List.of("total"), index.nonKeyAttributes());
    assertEquals(table, TableDefinition.fromJson(table.toJson()));
  }

  @Test
  void aTableWithoutStreamOrSortKeyShouldHaveNeither() throws Exception {
    TableDefinition table =
        CreateTableRequest.read(
            json(
                "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'B'}],"
                    + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}"),
            0);
    assertEquals(KeySchema.of("id", KeyType.B), table.key());
    assertNull(table.streamViewType());
    assertEquals(List.of(), table.indexes());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'TableName':'ab','AttributeDefinitions':[],'KeySchema':[]}|Member must have length greater than or equal to 3",
        "{'TableName':'a b c','AttributeDefinitions':[],'KeySchema':[]}|Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'X'}],'KeySchema':[]}|Member must satisfy enum value set: [B, N, S]",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'RANGE'}]}|Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'other','KeyType':'HASH'}]}|Some index key attributes are not defined in AttributeDefinitions",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},{'AttributeName':'x','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}|Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'LocalSecondaryIndexes':[{}]}|Local secondary indexes are not supported",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'GlobalSecondaryIndexes':[{'IndexName':'byId','KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'Projection':{'ProjectionType':'INCLUDE'}}]}|NonKeyAttributes must be specified for ProjectionType INCLUDE",
        "{'TableName':'abc','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'ALL'}}|Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES]"
      })
  void shouldRefuseWhatDynamoDbRefuses(String request, String message) throws Exception {
    InvalidValueException refused =
        assertThrows(InvalidValueException.class, () -> CreateTableRequest.read(json(request), 0));
    assertEquals(true, refused.getMessage().contains(message), refused.getMessage());
  }

  @Test
  void twentyIndexesShouldBeTheLimit() throws Exception {
    StringBuilder definitions = new StringBuilder("{'AttributeName':'id','AttributeType':'S'}");
    StringBuilder indexes = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      definitions.append(",{'AttributeName':'k").append(i).append("','AttributeType':'S'}");
      if (i > 0) {
        indexes.append(',');
      }
      indexes
          .append("{'IndexName':'index")
          .append(i)
          .append("','KeySchema':[{'AttributeName':'k")
          .append(i)
          .append("','KeyType':'HASH'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}");
    }
    String base =
        "{'TableName':'many','KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
            + "'AttributeDefinitions':[";
    String twentyOne = base + definitions + "],'GlobalSecondaryIndexes':[" + indexes + "]}";
    assertThrows(InvalidValueException.class, () -> CreateTableRequest.read(json(twentyOne), 0));
    String twenty =
        base
            + definitions.substring(0, definitions.lastIndexOf(",{"))
            + "],'GlobalSecondaryIndexes':["
            + indexes.substring(0, indexes.lastIndexOf(",{"))
            + "]}";
    assertEquals(20, CreateTableRequest.read(json(twenty), 0).indexes().size());
  }

  @Test
  void tableNamesShouldBeThreeTo255Characters() {
    assertEquals("a.b", TableNames.check("a.b", "tableName"));
    assertEquals("x".repeat(255), TableNames.check("x".repeat(255), "tableName"));
    assertThrows(InvalidValueException.class, () -> TableNames.check("x".repeat(256), "tableName"));
    assertThrows(InvalidValueException.class, () -> TableNames.check("ab", "tableName"));
  }
}
