package dev.portico.edge.http;

import dev.portico.edge.api.Integration;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.serving.Release;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code portico.access} logger (key-value pairs in the JSON
 * encoder's {@code kvpList}); logback.xml routes it through a non-blocking async appender so a slow
 * console never slows the data plane. A gateway error names its type and, for a timeout, which
 * integration target timed out and how long the edge waited. A request the function metrics count
 * names the function, its outcome and (when it answered) its duration.
 */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("portico.access");

  private AccessLog() {}

  static void write(Exchange ex) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    Integration integration = ex.integration();
    Release release = ex.release();
    HttpServerRequest request = ex.request();
    var event =
        LOG.atInfo()
            .addKeyValue("requestId", ex.requestId())
            .addKeyValue("time", Instant.ofEpochMilli(ex.startEpochMillis()).toString())
            .addKeyValue("api", release == null ? null : release.apiName())
            .addKeyValue("stage", ex.stageName())
            .addKeyValue("deploymentId", release == null ? null : release.deploymentId())
            .addKeyValue("canary", release != null && release.canary())
            .addKeyValue("routeKey", ex.match() == null ? null : ex.match().route().routeKey())
            .addKeyValue("method", request.method().name())
            .addKeyValue("path", request.path())
            .addKeyValue("status", ex.status())
            .addKeyValue("latencyMs", Math.round(ex.latencyMs() * 1000) / 1000.0)
            .addKeyValue(
                "integrationLatencyMs", Math.round(ex.integrationLatencyMs() * 1000) / 1000.0)
            .addKeyValue("integrationType", integration == null ? null : integration.type())
            .addKeyValue("integrationTarget", integration == null ? null : integration.target())
            .addKeyValue("responseBytes", request.response().bytesWritten())
            .addKeyValue(
                "sourceIp",
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress())
            .addKeyValue("userAgent", request.getHeader("user-agent"));
    if (ex.apiKey() != null) {
      event = event.addKeyValue("apiKeyId", ex.apiKey().id());
    }
    if (ex.cacheHit() != null) {
      event = event.addKeyValue("cache", ex.cacheHit() ? "hit" : "miss");
    }
    String outcome = ex.functionOutcome();
    if (outcome != null) {
      event = event.addKeyValue("function", ex.function());
      event = event.addKeyValue("functionOutcome", outcome);
      Double duration = ex.functionDurationMs();
      if (duration != null) {
        event = event.addKeyValue("functionDurationMs", Math.round(duration * 1000) / 1000.0);
      }
    }
    if (ex.errorType() != null) {
      event = event.addKeyValue("errorType", ex.errorType());
      event = event.addKeyValue("errorDetail", ex.errorDetail());
    }
    event.log("access");
  }
}
