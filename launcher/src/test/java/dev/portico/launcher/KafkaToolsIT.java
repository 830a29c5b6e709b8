package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Kafka tools" commands, run by bash from the repository root against a real broker
 * and the packaged {@code portico.jar}: the broker address and the topic and group names are the
 * only changes (this test JVM's broker, names no other test uses).
 */
@ExtendWith(KafkaExtension.class)
@Timeout(300)
@Tag("integration")
class KafkaToolsIT {
  static final Pattern SH_BLOCK =
      Pattern.compile("### Kafka tools\\n.*?```sh\\n(.*?)```", Pattern.DOTALL);

  static final List<String> SUITE_PORTS =
      List.of(
          "PORTICO_BROKER_PORT",
          "PORTICO_BROKER_CONTROLLER_PORT",
          "PORTICO_EDGE_PORT",
          "PORTICO_EDGE_OPS_PORT",
          "PORTICO_EDGE_ADMIN_PORT",
          "PORTICO_EDGE_DYNAMODB_PORT",
          "PORTICO_CUSTOMER_OPS_PORT",
          "PORTICO_STREAM_PORT",
          "PORTICO_METRICS_PORT",
          "PORTICO_ALARM_PORT");

  record Result(String command, int status, String out, String err) {}

  @Test
  void theReadmesKafkaToolCommandsShouldProduceConsumeListAndDescribe(
      TestKafka kafka, @TempDir Path dir) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String topic = "scratch-" + suffix;
    String group = "scratch-reader-" + suffix;
    List<Result> results = new ArrayList<>();
    for (String printed : readmeCommands()) {
      String command =
          printed
              .replace("localhost:9092", kafka.bootstrapServers())
              .replace("--group scratch-reader", "--group " + group)
              .replace("--topic scratch", "--topic " + topic);
      results.add(run(command, dir));
    }

    assertEquals(5, results.size(), "create, produce, consume, list, describe");
    for (Result result : results) {
      assertEquals(0, result.status(), result.toString());
    }
    assertEquals("hello, Kafka", results.get(2).out().strip(), "consumed: " + results.get(2));
    assertTrue(results.get(3).out().lines().anyMatch(topic::equals), "listed: " + results.get(3));
    assertTrue(
        Pattern.compile("(?m)^" + group + "\\s+" + topic + "\\s+0\\s+1\\s+1\\s+0\\s")
            .matcher(results.get(4).out())
            .find(),
        "the group committed offset 1 of 1, lag 0: " + results.get(4));
  }

  @Test
  void anUnknownToolShouldBeRefusedWithTheListOfTools(@TempDir Path dir) throws Exception {
    Result result = run("java -jar launcher/target/portico.jar kafka no-such-tool", dir);
    assertNotEquals(0, result.status(), result.toString());
    assertTrue(result.err().contains("console-consumer"), result.toString());
  }

  /** The ```sh block of README's "Kafka tools" section, one entry per command. */
  static List<String> readmeCommands() throws Exception {
    Matcher block = SH_BLOCK.matcher(ReadmeTest.readme());
    assertTrue(block.find(), "README has a Kafka tools section with a sh block");
    List<String> commands = new ArrayList<>();
    for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) { // "# => ..." is the docs harness's
        commands.add(line);
      }
    }
    return commands;
  }

  private static Result run(String command, Path dir) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", command)
            .directory(ComposeFileTest.ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // Should the jar run the suite instead of the tool, it must not take the default ports.
    builder.environment().put("PORTICO_DATA_DIR", dir.resolve("data").toString());
    for (String port : SUITE_PORTS) {
      builder.environment().put(port, Integer.toString(FreePorts.next()));
    }
    Process process = builder.start();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "still running: " + command);
    return new Result(
        command,
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
