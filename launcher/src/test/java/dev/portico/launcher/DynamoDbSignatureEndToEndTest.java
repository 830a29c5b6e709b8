package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.auth.scheme.DynamoDbAuthSchemeProvider;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB API with access keys configured ({@code PORTICO_DYNAMODB_ACCESS_KEYS}): the AWS SDK
 * for Java v2 and the AWS CLI sign with Signature Version 4 and pass with the right key and secret;
 * a wrong secret, an unknown key id, a signature dated 20 minutes ago and a request with no
 * signature at all are refused with DynamoDB's exception names, before anything is done.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class DynamoDbSignatureEndToEndTest {
  static final String KEY_ID = "AKIDPORTICO";
  static final String SECRET = "secret1";

  Suite suite;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000)
            .with("PORTICO_DYNAMODB_ACCESS_KEYS", KEY_ID + ":" + SECRET)
            .start();
  }

  @AfterAll
  void stopSuite() {
    suite.close();
  }

  /** A client that signs with these credentials at the clock's time, and tries once. */
  DynamoDbClient client(String keyId, String secret, Clock signingClock) {
    DynamoDbAuthSchemeProvider defaults = DynamoDbAuthSchemeProvider.defaultProvider();
    return DynamoDbClient.builder()
        .endpointOverride(URI.create(suite.dynamoUrl()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        // The SDK's own SigV4 signer, with the signing time it is given.
        .authSchemeProvider(
            params ->
                defaults.resolveAuthScheme(params).stream()
                    .map(
                        option ->
                            option.toBuilder()
                                .putSignerProperty(HttpSigner.SIGNING_CLOCK, signingClock)
                                .build())
                    .toList())
        // A refusal is the answer under test, not something to retry.
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  static DynamoDbException refusal(DynamoDbClient client) {
    try (client) {
      return assertThrows(DynamoDbException.class, client::listTables);
    }
  }

  @Test
  void theRightKeyAndSecretShouldPass() {
    try (DynamoDbClient dynamo = client(KEY_ID, SECRET, Clock.systemUTC())) {
      dynamo.createTable(
          b ->
              b.tableName("Signed")
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                  .billingMode("PAY_PER_REQUEST"));
      dynamo.putItem(
          b ->
              b.tableName("Signed")
                  .item(Map.of("id", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1"))));
      var item =
          dynamo.getItem(b -> b.tableName("Signed").key(Map.of("id", AttributeValue.fromS("a"))));
      assertEquals(AttributeValue.fromN("1"), item.item().get("n"));
    }
  }

  @Test
  void aWrongSecretShouldBeRefused() {
    DynamoDbException refused = refusal(client(KEY_ID, "not-the-secret", Clock.systemUTC()));
    assertEquals(400, refused.statusCode());
    assertEquals("InvalidSignatureException", refused.awsErrorDetails().errorCode());
    assertTrue(
        refused
            .awsErrorDetails()
            .errorMessage()
            .startsWith("The request signature we calculated does not match"),
        refused.awsErrorDetails().errorMessage());
  }

  @Test
  void anUnknownKeyIdShouldBeRefused() {
    DynamoDbException refused = refusal(client("AKIDUNKNOWN", SECRET, Clock.systemUTC()));
    assertEquals("UnrecognizedClientException", refused.awsErrorDetails().errorCode());
    assertEquals(
        "The security token included in the request is invalid.",
        refused.awsErrorDetails().errorMessage());
  }

  @Test
  void aSignatureFromTwentyMinutesAgoShouldHaveExpired() {
    Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
    DynamoDbException refused = refusal(client(KEY_ID, SECRET, twentyMinutesAgo));
    assertEquals("InvalidSignatureException", refused.awsErrorDetails().errorCode());
    assertTrue(
        refused.awsErrorDetails().errorMessage().startsWith("Signature expired: "),
        refused.awsErrorDetails().errorMessage());
  }

  @Test
  void aRequestWithoutAnAuthorizationHeaderShouldBeRefused() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(suite.dynamoUrl() + "/"))
                    .header("content-type", "application/x-amz-json-1.0")
                    .header("x-amz-target", "DynamoDB_20120810.ListTables")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode(), response.body());
    JsonNode error = new ObjectMapper().readTree(response.body());
    assertTrue(
        error.path("__type").asText().endsWith("MissingAuthenticationTokenException"),
        response.body());
    assertEquals("Request is missing Authentication Token", error.path("message").asText());
  }

  @Test
  void theCliShouldSignWithTheRightKeysAndBeRefusedWithAWrongSecret(@TempDir Path home) {
    AwsCli aws = new AwsCli(suite.dynamoUrl(), KEY_ID, SECRET, home);
    aws.json(
        "create-table",
        "--table-name",
        "SignedCli",
        "--attribute-definitions",
        "AttributeName=id,AttributeType=S",
        "--key-schema",
        "AttributeName=id,KeyType=HASH",
        "--billing-mode",
        "PAY_PER_REQUEST");
    aws.json("put-item", "--table-name", "SignedCli", "--item", "{\"id\":{\"S\":\"cli\"}}");
    JsonNode got =
        aws.json("get-item", "--table-name", "SignedCli", "--key", "{\"id\":{\"S\":\"cli\"}}");
    assertEquals("cli", got.path("Item").path("id").path("S").asText(), got.toString());

    AwsCli wrong = new AwsCli(suite.dynamoUrl(), KEY_ID, "not-the-secret", home);
    AwsCli.Result refused = wrong.dynamodb("list-tables");
    assertTrue(refused.exitCode() != 0, refused.stdout());
    assertTrue(refused.stderr().contains("InvalidSignatureException"), refused.stderr());
  }
}
