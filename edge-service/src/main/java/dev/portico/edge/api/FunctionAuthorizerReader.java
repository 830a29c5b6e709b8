package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code x-portico-authorizer: {type: function, topic, identitySource, resultTtlSeconds,
 * timeoutMs}} into a {@link FunctionAuthorizer}, reporting every problem. Identity sources are
 * required while results are cached: they are the cache key, and without them one caller's verdict
 * would be served to every caller.
 */
final class FunctionAuthorizerReader {
  static final String TYPE = "function";
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]+");

  private final OpenApiReader reader;

  FunctionAuthorizerReader(OpenApiReader reader) {
    this.reader = reader;
  }

  FunctionAuthorizer read(String name, JsonNode spec, String at, List<String> problems) {
    String topic =
        spec.path("topic").asText("").replace("${portico.topicPrefix}", reader.topicPrefix());
    if (topic.isBlank()) {
      problems.add(at + ".topic: required for type function");
    } else if (!TOPIC.matcher(topic).matches()) {
      problems.add(
          at
              + ".topic: '"
              + topic
              + "' is not a valid topic name (stage variables are not taken here)");
    }
    List<IdentitySource> sources = new ArrayList<>();
    for (String expression : expressions(spec.path("identitySource"))) {
      IdentitySource source = IdentitySource.parse(expression);
      if (source == null) {
        problems.add(
            at
                + ".identitySource: "
                + expression
                + " is not $request.header.X, $request.querystring.X, $stageVariables.X,"
                + " $context.routeKey or $context.identity.sourceIp");
      } else {
        sources.add(source);
      }
    }
    JsonNode ttlNode = spec.path("resultTtlSeconds");
    long ttl =
        ttlNode.isMissingNode() ? FunctionAuthorizer.DEFAULT_TTL.toSeconds() : ttlNode.asLong(-1);
    if (!ttlNode.isMissingNode() && !ttlNode.isIntegralNumber()
        || ttl < 0
        || ttl > FunctionAuthorizer.MAX_TTL.toSeconds()) {
      problems.add(at + ".resultTtlSeconds: 0 to 3600, was " + ttlNode);
      ttl = 0;
    }
    if (ttl > 0 && sources.isEmpty()) {
      problems.add(
          at + ".identitySource: required while results are cached (resultTtlSeconds above 0)");
    }
    return new FunctionAuthorizer(
        name,
        topic,
        sources,
        Duration.ofSeconds(ttl),
        spec.has("timeoutMs")
            ? reader.timeout(spec, at, problems)
            : FunctionAuthorizer.DEFAULT_TIMEOUT);
  }

  /** A list, or one comma-separated string as API Gateway writes it. */
  private static List<String> expressions(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node.isTextual()) {
      for (String part : node.asText().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }
}
