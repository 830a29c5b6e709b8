package dev.portico.edge.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/gateway.md lists every {@code x-portico-error-type} the edge sends, with its status: the
 * table between {@code <!-- error-types -->} and {@code <!-- /error-types -->} matches {@link
 * GatewayError}, no more, no less.
 */
class GatewayErrorDocsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([0-9, ]+) \\|");

  @Test
  void theDocumentedErrorTypesShouldBeExactlyTheOnesTheEdgeSends() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "gateway.md"));
    int start = doc.indexOf("<!-- error-types -->");
    int end = doc.indexOf("<!-- /error-types -->");
    assertTrue(start >= 0 && end > start, "docs/gateway.md has no error-types table");
    Set<String> documented = new TreeSet<>();
    for (String line : doc.substring(start, end).lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        for (String status : row.group(2).split(",")) {
          documented.add(row.group(1) + " " + status.trim());
        }
      }
    }
    Set<String> sent =
        Arrays.stream(GatewayError.values())
            .map(e -> e.type() + " " + e.status())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(sent, documented, "type and status pairs in docs/gateway.md vs GatewayError");
  }
}
