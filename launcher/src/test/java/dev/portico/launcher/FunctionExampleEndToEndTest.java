package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.example.HelloHandler;
import dev.portico.function.PorticoFunction;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through: the example function (function SDK) behind an edge, its OpenAPI
 * document imported and deployed through the admin API.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class FunctionExampleEndToEndTest {
  static final String TOKEN = "e2e-token";

  @Test
  void shouldServeTheExampleFunctionImportedThroughTheAdminApi(TestKafka kafka, @TempDir Path state)
      throws Exception {
    String document = Files.readString(Path.of("../function-example/hello-api.yaml"));
    String prefix = kafka.freshPrefix();
    String topic = prefix + "fn.hello";
    HelloHandler hello = new HelloHandler();
    try (PorticoFunction function =
            PorticoFunction.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .groupId(prefix + "hello")
                .createTopicIfMissing(2, (short) 1)
                .handler((request, context) -> hello.handle(request))
                .build();
        Suite suite =
            new Suite(kafka.bootstrapServers(), prefix, state, 10_000)
                .with("PORTICO_EDGE_ADMIN_TOKEN", TOKEN)) {
      function.start();
      suite.startEdge();
      String admin = "http://127.0.0.1:" + suite.edge.adminPort();
      String bearer = "Bearer " + TOKEN;
      HttpResponse<String> imported =
          Http.request(
              "PUT",
              admin + "/apis/hello",
              document.replace("portico.fn.hello", topic),
              "authorization",
              bearer);
      assertEquals(200, imported.statusCode(), imported.body());
      HttpResponse<String> deployed =
          Http.request(
              "POST",
              admin + "/apis/hello/deployments",
              "{\"stage\":\"hello-dev\"}",
              "authorization",
              bearer);
      assertEquals(201, deployed.statusCode(), deployed.body());
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> Http.get(suite.url("/hello-dev/hello/Ada")).statusCode() == 200);
      HttpResponse<String> greeting = Http.get(suite.url("/hello-dev/hello/Ada"));
      assertEquals("{\"message\":\"Hello, Ada!\",\"stage\":\"hello-dev\"}", greeting.body());
    }
  }
}
