package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocCommandsTest {
  /** The parser keeps to the conventions the docs are written in. */
  @Test
  void shouldParseTheConventionsTheDocsAreWrittenIn() {
    String md =
        """
        text
        <!-- not-run: needs a Docker engine -->

        ```sh
        docker compose up
        ```
        ```bash
        A=1
        echo "HTTP/1.1 201 Created"; echo 'ETag: "1"'
        # => 201   created ... etag: "1"
        # a comment
        echo done
        ```
        ```json
        {"not": "a command"}
        ```
        """;
    DocCommands parsed = DocCommands.parse("t.md", md);
    assertEquals(2, parsed.blocks().size());
    assertEquals("needs a Docker engine", parsed.blocks().get(0).notRun());
    DocCommands.Block block = parsed.blocks().get(1);
    assertNull(block.notRun());
    assertEquals(2, block.steps().size());
    assertEquals(List.of("201 created", "etag: \"1\""), block.steps().get(0).expected());
    assertNull(
        DocCommands.missing(
            "HTTP/1.1 201 Created\nETag: \"1\"\n", block.steps().get(0).expected()));
    assertEquals(
        "etag: \"1\"",
        DocCommands.missing("ETag: \"1\"\nHTTP/1.1 201 Created", block.steps().get(0).expected()));
  }
}
